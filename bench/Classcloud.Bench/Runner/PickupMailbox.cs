using System.Text;
using System.Text.RegularExpressions;

namespace Classcloud.Bench.Runner;

/// <summary>
/// Reads the host's pickup folder ($CLASSCLOUD_DATA/mail/*.eml) as a person reads their mail, to
/// follow mailed links. Works on every database provider, since mail goes out through the outbox.
/// </summary>
internal static partial class PickupMailbox
{
    // Generous: under other builds the outbox took over a minute for 50 sign-up mails.
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    /// <summary>Waits until every address has a mail with a link to `path?token=…` and returns the newest token per address.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TokensAsync(
        string dataDirectory, IReadOnlyCollection<string> addresses, string path, CancellationToken ct)
    {
        var folder = Path.Combine(dataDirectory, "mail");
        var link = new Regex(Regex.Escape(path) + @"\?token=([A-Za-z0-9_\-%]+)");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            var found = new Dictionary<string, (DateTime At, string Token)>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
                {
                    var (to, body) = Parse(await File.ReadAllTextAsync(file, ct));
                    var match = link.Match(body);
                    var at = File.GetLastWriteTimeUtc(file);
                    if (to is not null && match.Success && (!found.TryGetValue(to, out var seen) || seen.At <= at))
                    {
                        found[to] = (at, Uri.UnescapeDataString(match.Groups[1].Value));
                    }
                }
            }
            if (addresses.All(found.ContainsKey))
            {
                return addresses.ToDictionary(a => a, a => found[a].Token);
            }
            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Mail with a {path} link reached only {addresses.Count(found.ContainsKey)} of {addresses.Count} addresses in {folder} within {Timeout.TotalSeconds} s.");
            }
        }
    }

    /// <summary>The recipient and the decoded text body of a pickup .eml file.</summary>
    static (string? To, string Body) Parse(string eml)
    {
        var (cut, gap) = (eml.IndexOf("\r\n\r\n", StringComparison.Ordinal), 4);
        if (cut < 0)
        {
            (cut, gap) = (eml.IndexOf("\n\n", StringComparison.Ordinal), 2);
        }
        if (cut < 0)
        {
            return (null, "");
        }
        var headers = eml[..cut];
        var body = eml[(cut + gap)..];
        var to = Header().Match(headers) is { Success: true } m ? Address(m.Groups[1].Value) : null;
        if (headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                body = Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(ch => !char.IsWhiteSpace(ch)))));
            }
            catch (FormatException)
            {
                return (to, "");
            }
        }
        return (to, body);
    }

    /// <summary>"a@b", "&lt;a@b&gt;" or "Name &lt;a@b&gt;" → a@b.</summary>
    static string Address(string value)
    {
        var open = value.LastIndexOf('<');
        return (open >= 0 ? value[(open + 1)..] : value).Trim().Trim('<', '>').Trim();
    }

    // X-Receiver: the old SmtpClient pickup files; To: MailKit's (the host writes these since it sends with MailKit).
    [GeneratedRegex(@"^(?:X-Receiver|To):\s*(.+?)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Header();
}
