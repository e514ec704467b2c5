using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Courses.Pages;

/// <summary>"My news" (seed 000 CLASS03): every notification, newest first; opening one marks it read.</summary>
public sealed class NewsModel(NotificationService notifications) : CoursePageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public NotificationPage News { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => News = await notifications.ListAsync(Me, PageNumber, unreadOnly: false, ct);

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
