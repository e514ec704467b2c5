using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>"My news" (seed 000 CLASS03): every notification, newest first; opening one marks it read.</summary>
public sealed class NewsModel(NotificationService notifications) : AppPageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public NotificationPage News { get; private set; } = null!;

    /// <summary>
    /// Shows the page, then marks what it showed as read (issue 17: reading My news clears the bell). The list keeps
    /// the unread marks it was read with, so the reader still sees which ones are new this time.
    /// </summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        News = await notifications.ListAsync(Me, PageNumber, unreadOnly: false, ct);
        var unread = News.Items.Where(n => !n.Read).Select(n => n.Id).ToList();
        if (unread.Count > 0)
        {
            await notifications.MarkReadAsync(Me, unread, ct);
        }
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await notifications.MarkReadAsync(Me, null, ct);
        return LocalRedirect("/news");
    }

    /// <summary>Marks one read and follows its link (always a local path).</summary>
    public async Task<IActionResult> OnPostOpenAsync(long notificationId, string? link, CancellationToken ct)
    {
        await notifications.MarkReadAsync(Me, [notificationId], ct);
        return LocalRedirect(Url.IsLocalUrl(link) ? link : "/news");
    }
}
