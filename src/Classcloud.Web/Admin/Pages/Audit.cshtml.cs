using System.Reflection;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Admin.Pages;

[Authorize(Policy = Policies.Admin)]
public sealed class AuditModel(AuditQueryService audit, IOptions<LimitsOptions> limits) : PageModel
{
    /// <summary>Every action name AuditActions defines (so new ones appear in the filter by themselves) and every one with a sentence.</summary>
    public static readonly string[] Actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Concat(AuditWords.Known).Distinct().Order(StringComparer.Ordinal).ToArray();

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public Paged<AuditDto> Result { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Result = await audit.SearchAsync(new AuditQuery(Action, Q, null, null, PageNumber, 50), limits.Value.MaxPageSize, ct);
        Pager = new Pager(Result.Page, Result.TotalPages, Result.TotalCount, "/admin/audit",
            new Dictionary<string, string?> { ["action"] = Action, ["q"] = Q });
    }
}
