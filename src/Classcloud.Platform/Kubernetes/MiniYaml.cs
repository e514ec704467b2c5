using System.Text;
using System.Text.Json.Nodes;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// Reads the YAML subset kubeconfig files are written in (kubectl, cloud CLIs): block mappings,
/// block sequences (also at the parent key's indentation), plain and quoted scalars, comments,
/// empty flow collections, and JSON (a YAML subset). No YAML package is obtainable, and a
/// kubeconfig needs no anchors, tags or multi-line scalars.
/// </summary>
internal static class MiniYaml
{
    public static JsonNode? Parse(string text)
    {
        if (text.TrimStart().StartsWith('{'))
        {
            return JsonNode.Parse(text);
        }
        var lines = new List<(int Indent, string Text)>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var content = StripComment(raw).TrimEnd();
            if (content.Trim().Length == 0 || content.Trim() is "---" or "...")
            {
                continue;
            }
            if (content[..(content.Length - content.TrimStart(' ', '\t').Length)].Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException("Tabs cannot indent YAML.");
            }
            var indent = content.Length - content.TrimStart(' ').Length;
            lines.Add((indent, content[indent..]));
        }
        var i = 0;
        return lines.Count == 0 ? null : Block(lines, ref i, lines[0].Indent);
    }

    static JsonNode? Block(List<(int Indent, string Text)> lines, ref int i, int indent) =>
        IsItem(lines[i].Text) ? Sequence(lines, ref i, indent) : Mapping(lines, ref i, indent);

    static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    static JsonArray Sequence(List<(int Indent, string Text)> lines, ref int i, int indent)
    {
        var array = new JsonArray();
        while (i < lines.Count && lines[i].Indent == indent && IsItem(lines[i].Text))
        {
            var rest = lines[i].Text.Length > 1 ? lines[i].Text[2..] : "";
            var offset = rest.Length - rest.TrimStart(' ').Length;
            rest = rest.TrimStart(' ');
            if (rest.Length == 0)
            {
                i++;
                array.Add(i < lines.Count && lines[i].Indent > indent ? Block(lines, ref i, lines[i].Indent) : null);
            }
            else if (IsItem(rest) || (rest[0] is not ('{' or '[' or '"' or '\'') && SplitKey(rest) is not null))
            {
                // "- key: value": the item is a block whose first line starts after the dash.
                lines[i] = (indent + 2 + offset, rest);
                array.Add(Block(lines, ref i, indent + 2 + offset));
            }
            else
            {
                array.Add(Scalar(rest));
                i++;
            }
        }
        return array;
    }

    static JsonObject Mapping(List<(int Indent, string Text)> lines, ref int i, int indent)
    {
        var map = new JsonObject();
        while (i < lines.Count && lines[i].Indent == indent && !IsItem(lines[i].Text))
        {
            var (key, value) = SplitKey(lines[i].Text) ?? throw new FormatException($"Expected 'key: value' in \"{lines[i].Text}\".");
            i++;
            if (value.Length > 0)
            {
                map[key] = Scalar(value);
            }
            else if (i < lines.Count && (lines[i].Indent > indent || (lines[i].Indent == indent && IsItem(lines[i].Text))))
            {
                map[key] = Block(lines, ref i, lines[i].Indent);
            }
            else
            {
                map[key] = null;
            }
        }
        if (i < lines.Count && lines[i].Indent > indent)
        {
            throw new FormatException($"Unexpected indentation at \"{lines[i].Text}\".");
        }
        return map;
    }

    /// <summary>Splits "key: value" (or "key:") at the first colon outside quotes that ends the line or precedes a space.</summary>
    static (string Key, string Value)? SplitKey(string text)
    {
        char? quote = null;
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if ((c == '"' || c == '\'') && k == 0)
            {
                quote = c;
            }
            else if (c == ':' && (k == text.Length - 1 || text[k + 1] == ' '))
            {
                var key = text[..k].Trim();
                return (Unquote(key), text[(k + 1)..].Trim());
            }
        }
        return null;
    }

    static JsonNode? Scalar(string value) => value switch
    {
        "~" or "null" or "Null" or "NULL" => null,
        ['{', .., '}'] => FlowMapping(value[1..^1]),
        ['[', .., ']'] => new JsonArray([.. FlowItems(value[1..^1]).Select(Scalar)]),
        _ => JsonValue.Create(Unquote(value)),
    };

    /// <summary>A one-line flow mapping, e.g. <c>{cluster: c1, user: u1}</c>, possibly nested.</summary>
    static JsonObject FlowMapping(string inner)
    {
        var map = new JsonObject();
        foreach (var item in FlowItems(inner))
        {
            var (key, value) = SplitKey(item) ?? throw new FormatException($"Expected 'key: value' in {{{inner}}}.");
            map[key] = value.Length == 0 ? null : Scalar(value);
        }
        return map;
    }

    /// <summary>Splits a flow collection's content at the commas that are not nested or quoted.</summary>
    static List<string> FlowItems(string inner)
    {
        var items = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var k = 0; k < inner.Length; k++)
        {
            var c = inner[k];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                items.Add(inner[start..k].Trim());
                start = k + 1;
            }
        }
        if (inner[start..].Trim() is { Length: > 0 } last)
        {
            items.Add(last);
        }
        return items;
    }

    /// <summary>Removes the quotes of a quoted scalar; double quotes understand the common escapes.</summary>
    static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }
        var result = new StringBuilder();
        for (var k = 1; k < value.Length - 1; k++)
        {
            if (value[k] == '\\' && k + 1 < value.Length - 1)
            {
                k++;
                result.Append(value[k] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => value[k] });
            }
            else
            {
                result.Append(value[k]);
            }
        }
        return result.ToString();
    }

    /// <summary>Drops a comment: '#' at the start or after a space, outside quotes.</summary>
    static string StripComment(string line)
    {
        char? quote = null;
        for (var k = 0; k < line.Length; k++)
        {
            var c = line[k];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'' && (k == 0 || line[k - 1] is ' ' or ':' or '-'))
            {
                quote = c;
            }
            else if (c == '#' && (k == 0 || line[k - 1] == ' '))
            {
                return line[..k];
            }
        }
        return line;
    }
}
