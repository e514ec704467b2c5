using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Tests.Mail;

/// <summary>
/// Just enough MIME to read what the mail sender (MimeKit) writes, parsed independently of it: unfolded headers with RFC 2047 encoded words
/// decoded, and a single-part body decoded from base64 or quoted-printable in its charset.
/// </summary>
public sealed partial class MimeText
{
    readonly List<(string Name, string Value)> headers;

    MimeText(List<(string Name, string Value)> headers, string body)
    {
        this.headers = headers;
        Body = body;
    }

    public string Body { get; }

    public string? Header(string name) => headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"charset=""?([^"";\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Charset();

    /// <summary>Parses raw message text (one char per byte, as the listener and pickup files hold it).</summary>
    public static MimeText Parse(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? raw : raw[..split];
        var body = split < 0 ? "" : raw[(split + 4)..];
        var unfolded = Regex.Replace(head, @"\r\n(?=[ \t])", "");
        var headers = new List<(string, string)>();
        foreach (var line in unfolded.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add((line[..colon].Trim(), DecodeWords(line[(colon + 1)..].Trim())));
            }
        }
        var text = new MimeText(headers, "");
        var charset = Charset().Match(text.Header("Content-Type") ?? "") is { Success: true } m ? Encoding.GetEncoding(m.Groups[1].Value) : Encoding.UTF8;
        var bytes = (text.Header("Content-Transfer-Encoding") ?? "").Trim().ToLowerInvariant() switch
        {
            "base64" => Convert.FromBase64String(Regex.Replace(body, @"\s", "")),
            "quoted-printable" => QuotedPrintable(Regex.Replace(body, "=\r\n", ""), underscoreIsSpace: false),
            _ => Encoding.Latin1.GetBytes(body),
        };
        return new MimeText(headers, charset.GetString(bytes));
    }

    /// <summary>RFC 2047: adjacent encoded words join without the white space between them, and their bytes decode together.</summary>
    static string DecodeWords(string value)
    {
        var result = new StringBuilder();
        var pending = new List<byte>();
        Encoding? pendingCharset = null;
        var position = 0;
        foreach (Match word in EncodedWord().Matches(value))
        {
            var between = value[position..word.Index];
            if (pending.Count == 0 || between.Trim().Length > 0)
            {
                Flush();
                result.Append(between);
            }
            pendingCharset = Encoding.GetEncoding(word.Groups[1].Value);
            var payload = word.Groups[3].Value;
            pending.AddRange(word.Groups[2].Value is "B" or "b" ? Convert.FromBase64String(payload) : QuotedPrintable(payload, underscoreIsSpace: true));
            position = word.Index + word.Length;
        }
        Flush();
        result.Append(value[position..]);
        return result.ToString();

        void Flush()
        {
            if (pending.Count > 0)
            {
                result.Append(pendingCharset!.GetString([.. pending]));
                pending.Clear();
            }
        }
    }

    static byte[] QuotedPrintable(string text, bool underscoreIsSpace)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length &&
                byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add(underscoreIsSpace && text[i] == '_' ? (byte)' ' : (byte)text[i]);
            }
        }
        return [.. bytes];
    }
}
