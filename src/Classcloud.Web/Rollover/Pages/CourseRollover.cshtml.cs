using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Rollover.Pages;

/// <summary>
/// Term end for a course's educators: archive it (optionally stopping its running workspaces, with the count
/// shown and confirmed), reopen it, or copy it to a new term. Every change goes through the rollover services.
/// </summary>
public sealed class CourseRolloverModel(CourseService courses, CourseArchiveService archive, CourseCopyService copies) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    /// <summary>Workspaces linked to the course that are running now; the archive form sends this number back as its confirmation.</summary>
    public int RunningWorkspaces { get; private set; }

    /// <summary>The shift a copy suggests: whole weeks since the course was created (weekdays stay the same).</summary>
    public int SuggestedShiftDays { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostArchiveAsync(long id, bool stopWorkspaces, int? workspaces, CancellationToken ct)
    {
        var outcome = await archive.ArchiveAsync(Me, id, new ArchiveRequest(stopWorkspaces, workspaces), ct);
        return After(outcome.Problem, L("The course is archived: it is read-only now."), $"/courses/{id}/rollover");
    }

    public async Task<IActionResult> OnPostReopenAsync(long id, CancellationToken ct)
    {
        var outcome = await archive.ReopenAsync(Me, id, ct);
        return After(outcome.Problem, L("The course is open again."), $"/courses/{id}/rollover");
    }

    public async Task<IActionResult> OnPostCopyAsync(long id, string? name, string? description, string? section, int? shiftDays, CancellationToken ct)
    {
        var outcome = await copies.CopyAsync(Me, id, new CopyCourseRequest(Blank(name), Blank(description), Blank(section), shiftDays), ct);
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, $"/courses/{id}/rollover");
        }
        var copy = outcome.Value!;
        Flash(L("Copied: {0} notices, {1} environments, {2} assignments with their dates moved by {3} days. Check the dates before students join.",
            copy.Notices, copy.Environments, copy.Assignments, copy.ShiftDays));
        return LocalRedirect($"/courses/{copy.Course.Id}/settings");
    }

    async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        if (Course.MyStatus is not ("owner" or "coeducator" or "admin"))
        {
            return Forbid();
        }
        RunningWorkspaces = await archive.RunningWorkspacesAsync(id, ct);
        SuggestedShiftDays = (int)((DateTime.UtcNow - Course.CreatedAt).TotalDays / 7) * 7;
        return null;
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
