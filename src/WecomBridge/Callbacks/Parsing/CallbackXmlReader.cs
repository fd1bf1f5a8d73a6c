using System.Text;
using System.Xml;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// The reading loop behind <see cref="CallbackXml"/>: leaves, attributes and the text of parents to (path, text)
/// pairs, so that the pairs hold everything the document says (the content hash of the dedupe key relies on it).
/// </summary>
internal static class CallbackXmlReader
{
    public static List<KeyValuePair<string, string>> Read(Stream utf8, XmlReaderSettings settings)
    {
        using var reader = XmlReader.Create(utf8, settings);
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "xml")
            throw new CallbackFormatException("root element must be <xml>");
        var fields = new List<KeyValuePair<string, string>>(16);
        var levels = new Levels();
        if (reader.HasAttributes) ReadAttributes(reader, fields, levels, 0);
        if (reader.IsEmptyElement)
        {
            while (reader.Read()) { } // still reject trailing junk
            return fields;
        }

        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var depth = reader.Depth;
                    if (depth > CallbackXml.MaxDepth) throw new CallbackFormatException("elements nested too deeply");
                    levels.Enter(depth, reader.LocalName);
                    var empty = reader.IsEmptyElement;
                    if (reader.HasAttributes) ReadAttributes(reader, fields, levels, depth);
                    if (empty) fields.Add(new(levels.PathOf(depth), ""));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    levels.AddText(reader.Depth - 1, reader.Value);
                    break;
                case XmlNodeType.EndElement when reader.Depth > 0:
                    var end = reader.Depth;
                    // A leaf's text, even empty; a parent's only when it has some (mixed content).
                    if (levels.TextOf(end) is { } text) fields.Add(new(levels.PathOf(end), text));
                    else if (!levels.HasChildren(end)) fields.Add(new(levels.PathOf(end), ""));
                    break;
                case XmlNodeType.EndElement when levels.TextOf(0) is { } rootText:
                    fields.Add(new("", rootText));
                    break;
            }
        }
        return fields;
    }

    private static void ReadAttributes(XmlReader reader, List<KeyValuePair<string, string>> fields, Levels levels, int depth)
    {
        var owner = depth == 0 ? "" : levels.PathOf(depth) + "/";
        while (reader.MoveToNextAttribute()) fields.Add(new(string.Concat(owner, "@", reader.LocalName), reader.Value));
        reader.MoveToElement();
    }

    /// <summary>Name, text and whether it has children, per open element; grows with the depth actually used.</summary>
    private sealed class Levels
    {
        private string[] _names = new string[8];
        private string?[] _values = new string?[8];
        private StringBuilder?[] _pieces = new StringBuilder?[8];
        private bool[] _hasChildren = new bool[8];

        public void Enter(int depth, string name)
        {
            if (depth >= _names.Length) Grow();
            _hasChildren[depth - 1] = true;
            _names[depth] = name;
            _values[depth] = null;
            _pieces[depth] = null;
            _hasChildren[depth] = false;
        }

        public void AddText(int owner, string text)
        {
            if (_values[owner] is null) _values[owner] = text;
            else (_pieces[owner] ??= new StringBuilder(_values[owner])).Append(text); // split text: stay linear
        }

        public string? TextOf(int depth) => _pieces[depth]?.ToString() ?? _values[depth];

        public bool HasChildren(int depth) => _hasChildren[depth];

        public string PathOf(int depth) => depth switch
        {
            1 => _names[1],
            2 => string.Concat(_names[1], "/", _names[2]),
            _ => string.Join('/', _names, 1, depth),
        };

        private void Grow()
        {
            var size = Math.Min(_names.Length * 2, CallbackXml.MaxDepth + 1);
            Array.Resize(ref _names, size);
            Array.Resize(ref _values, size);
            Array.Resize(ref _pieces, size);
            Array.Resize(ref _hasChildren, size);
        }
    }
}
