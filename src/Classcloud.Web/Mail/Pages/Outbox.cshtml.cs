using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Mail.Pages;

/// <summary>The outbox for administrators: what was sent, what waits for a retry, and why it failed.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class OutboxModel(ClasscloudDb db) : PageModel
{
    const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<OutboxMail> Mails { get; private set; } = [];

    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (page, size) = Paging.Clamp(PageNumber, PageSize, PageSize);
        var total = await db.Mail.CountAsync(ct);
        Mails = await db.Mail.AsNoTracking().OrderByDescending(m => m.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var paged = new Paged<OutboxMail>(Mails, page, size, total);
        Pager = new Pager(page, paged.TotalPages, total, "/admin/mail", new Dictionary<string, string?>());
    }

    public static string State(OutboxMail mail) =>
        mail.SentAt is not null ? "sent" : mail.FailedAt is not null ? "failed" : mail.Attempts > 0 ? "retrying" : "queued";
}
