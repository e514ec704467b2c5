using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>
/// Roster import (seed 002): upload → preview with a status per row → confirm. The previewed file
/// travels back in the form, so what is confirmed is exactly what was previewed.
/// </summary>
public sealed class RosterModel(CourseService courses, RosterImport roster, IOptions<CoursesOptions> options) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public RosterReport? Report { get; private set; }

    public string? FileContent { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostPreviewAsync(long id, IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        if (file is null || file.Length == 0)
        {
            Error = L("Choose a CSV file first.");
            return Page();
        }
        if (file.Length > options.Value.MaxRosterBytes)
        {
            Error = L("The file is larger than the limit of {0} KB.", options.Value.MaxRosterBytes / 1024);
            return Page();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return await RunAsync(id, buffer.ToArray(), dryRun: true, ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(long id, string? content, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content ?? "");
        }
        catch (FormatException)
        {
            Error = L("Upload the file again.");
            return Page();
        }
        if (bytes.Length == 0 || bytes.Length > options.Value.MaxRosterBytes)
        {
            Error = L("Upload the file again.");
            return Page();
        }
        return await RunAsync(id, bytes, dryRun: false, ct);
    }

    async Task<IActionResult> RunAsync(long id, byte[] bytes, bool dryRun, CancellationToken ct)
    {
        var outcome = await roster.ImportAsync(Me, id, bytes, dryRun, ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        Report = outcome.Value!;
        if (dryRun || !Report.Valid)
        {
            FileContent = Report.Valid ? Convert.ToBase64String(bytes) : null;
            Error = Report.Problem;
            return Page();
        }
        Flash(L("{0} students were enrolled and {1} were invited by e-mail.", Report.Enrol, Report.Invite));
        return LocalRedirect($"/courses/{id}/members");
    }

    async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        return Course.MyStatus is "owner" or "coeducator" or "admin" ? null : Forbid();
    }

    public string StatusName(string status) => status switch
    {
        "enrol" => L("Will enrol"),
        "invite" => L("Will invite by e-mail"),
        "duplicate" => L("Duplicate"),
        "member" => L("Already a member"),
        _ => L("Invalid"),
    };
}
