using System.Text;
using System.Xml;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>The reading loop behind <see cref="CallbackXml"/>: leaf elements to (path, text) pairs.</summary>
internal static class CallbackXmlReader
{
    public static List<KeyValuePair<string, string>> Read(Stream utf8, XmlReaderSettings settings)
    {
        using var reader = XmlReader.Create(utf8, settings);
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "xml")
            throw new CallbackFormatException("root element must be <xml>");
        var fields = new List<KeyValuePair<string, string>>(16);
        if (reader.IsEmptyElement)
        {
            while (reader.Read()) { } // still reject trailing junk
            return fields;
        }

        var names = new string[CallbackXml.MaxDepth + 1];
        var values = new string?[CallbackXml.MaxDepth + 1];
        var hasChildren = new bool[CallbackXml.MaxDepth + 1];
        var pieces = new StringBuilder?[CallbackXml.MaxDepth + 1];
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var depth = reader.Depth;
                    if (depth > CallbackXml.MaxDepth) throw new CallbackFormatException("elements nested too deeply");
                    hasChildren[depth - 1] = true;
                    names[depth] = reader.LocalName;
                    values[depth] = null;
                    pieces[depth] = null;
                    hasChildren[depth] = false;
                    if (reader.IsEmptyElement) fields.Add(new(PathOf(names, depth), ""));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    var owner = reader.Depth - 1;
                    if (values[owner] is null) values[owner] = reader.Value;
                    else (pieces[owner] ??= new StringBuilder(values[owner])).Append(reader.Value); // split text: stay linear
                    break;
                case XmlNodeType.EndElement when reader.Depth > 0 && !hasChildren[reader.Depth]:
                    var end = reader.Depth;
                    fields.Add(new(PathOf(names, end), pieces[end]?.ToString() ?? values[end] ?? ""));
                    pieces[end] = null;
                    break;
            }
        }
        return fields;
    }

    private static string PathOf(string[] names, int depth) => depth switch
    {
        1 => names[1],
        2 => string.Concat(names[1], "/", names[2]),
        _ => string.Join('/', names, 1, depth),
    };
}
