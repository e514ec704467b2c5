using System.Globalization;
using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>Who a notification mail goes to, and in which language.</summary>
internal sealed record MailReader(long Id, string Email, string Nickname, AccountRole Role, string? Culture);

/// <summary>
/// The texts of notification mails (issue 17). Each is written in the reader's chosen language, not
/// the language of whoever caused it: a Korean student's mail stays Korean when an English-speaking
/// teacher posts.
/// </summary>
internal sealed class NotificationMailText(IStringLocalizer<SharedResource> t, Links links)
{
    /// <summary>Longest notice text copied into an important-notice mail; the rest is on the page.</summary>
    const int MaxNoticeChars = 8_000;

    public (string Subject, string Body) Immediate(MailReader reader, NotificationDto n) => InCulture(reader.Culture, () =>
        (Shorten(n.Text, 250), t["Hello {0},\n\n{1}\n{2}", reader.Nickname, n.Text, links.To(n.Link)] + Footer()));

    public (string Subject, string Body) Important(MailReader reader, string course, long postId, string title, string text) => InCulture(reader.Culture, () =>
    {
        var body = text.Length > MaxNoticeChars ? text[..MaxNoticeChars] + "\n…" : text;
        return (Shorten(t["Important notice in {0}: {1}", course, title], 250),
            t["Hello {0},\n\nAn important notice was posted in {1}:\n\n{2}\n\n{3}\n\nRead it on Classcloud: {4}", reader.Nickname, course, title, body, links.To($"/posts/{postId}")]
            + t["\n\nImportant notices are mailed to every member of the course, whatever the mail setting."]);
    });

    public (string Subject, string Body) Digest(MailReader reader, IReadOnlyList<NotificationDto> items, int more) => InCulture(reader.Culture, () =>
    {
        var text = new StringBuilder();
        text.Append(t["Hello {0},\n\nYou have unread notifications on Classcloud:", reader.Nickname].Value).Append("\n\n");
        foreach (var n in items)
        {
            text.Append("- ").Append(n.Text).Append('\n').Append("  ").Append(links.To(n.Link)).Append('\n');
        }
        if (more > 0)
        {
            text.Append(t["…and {0} more.", more].Value).Append('\n');
        }
        text.Append('\n').Append(t["My news: {0}", links.To("/news")].Value);
        return (t["Your Classcloud notifications: {0} unread", items.Count + more].Value, text + Footer());
    });

    string Footer() => t["\n\nChoose how you get these mails (off, daily, immediately) on My page: {0}", links.To("/me")];

    static string Shorten(string value, int max) => value.Length > max ? value[..(max - 1)] + "…" : value;

    /// <summary>Runs a synchronous text build in the reader's language; a reader without one gets the current (request or default) language.</summary>
    static T InCulture<T>(string? culture, Func<T> build)
    {
        if (culture is not ("en" or "ko"))
        {
            return build();
        }
        var (ui, format) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return build();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, format);
        }
    }
}
