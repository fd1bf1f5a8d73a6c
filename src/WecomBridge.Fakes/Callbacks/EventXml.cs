using System.Xml.Linq;

namespace WecomBridge.Fakes.Callbacks;

/// <summary>Builds callback XML: strings as CDATA, numbers as text, lists as &lt;Item&gt;s, nulls left out.</summary>
internal static class EventXml
{
    public static string Build(params (string Name, object? Value)[] fields)
    {
        var root = new XElement("xml");
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case null: break;
                case string text: root.Add(new XElement(name, new XCData(text))); break;
                case IEnumerable<string> items: root.Add(new XElement(name, items.Select(i => new XElement("Item", i)))); break;
                default: root.Add(new XElement(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))); break;
            }
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }

    public static long Now(TimeProvider? time) => (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
}
