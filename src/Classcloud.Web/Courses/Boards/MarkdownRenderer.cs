using System.Net;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Classcloud.Web.Courses;

/// <summary>
/// Renders user Markdown to HTML that is safe by construction (DESIGN.md §4: no sanitizer package
/// is obtainable): raw HTML is disabled (written out escaped), link targets are limited to http,
/// https, mailto and same-site paths, every link gets rel="nofollow noopener", and images are
/// shown only when they point at an attachment download (anything else becomes a plain link).
/// Deliberately without Markdig's generic-attributes extension, which would let `{onclick=…}` through.
/// </summary>
public static partial class MarkdownRenderer
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseReferralLinks("nofollow", "noopener")
        .Build();

    /// <summary>False when Markdig refuses the text (absurdly deep nesting).</summary>
    public static bool TryParse(string markdown) => Parse(markdown) is not null;

    public static string ToHtml(string markdown)
    {
        var document = Parse(markdown);
        if (document is null)
        {
            // Stored before the nesting check existed, or beyond it: show the text, never fail the page.
            return "<pre>" + WebUtility.HtmlEncode(markdown) + "</pre>";
        }
        Neutralize(document);
        return document.ToHtml(Pipeline);
    }

    static MarkdownDocument? Parse(string markdown)
    {
        try
        {
            return Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            // "Markdown elements in the input are too deeply nested".
            return null;
        }
    }

    static void Neutralize(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage && !IsAttachmentUrl(link.Url))
            {
                link.IsImage = false;
            }
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }
        foreach (var auto in document.Descendants<AutolinkInline>().ToList())
        {
            if (!auto.IsEmail && !IsSafeUrl(auto.Url))
            {
                auto.ReplaceBy(new LiteralInline(auto.Url));
            }
        }
    }

    /// <summary>Relative paths, fragments and http(s)/mailto; never javascript:, data:, vbscript: or anything else.</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }
        // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
        var compact = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var boundary = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (boundary >= 0 && boundary < colon))
        {
            // No scheme: a path on this site. "//host" is another site, which is fine for a link.
            return true;
        }
        var scheme = compact[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }

    public static bool IsAttachmentUrl(string? url) => url is not null && AttachmentUrl().IsMatch(url);

    [GeneratedRegex(@"^/api/v1/attachments/[0-9]{1,18}$")]
    private static partial Regex AttachmentUrl();
}
