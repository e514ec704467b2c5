using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Members with the educators marked (fig. 78, 88); educators remove, students leave (fig. 79–80), the owner adds co-educators.</summary>
public sealed class MembersModel(CourseService courses, EnrolmentService enrolments, CoEducatorService coEducators) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<MemberDto> Members { get; private set; } = [];

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public bool IsOwner => Course.MyStatus is "owner" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        var members = await enrolments.MembersAsync(Me, id, ct);
        if (!members.Succeeded)
        {
            return Forbid();
        }
        Members = members.Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, long userId, string? name, CancellationToken ct) =>
        After(await enrolments.RemoveAsync(Me, id, userId, ct), L("{0} was removed from the course.", name ?? ""), $"/courses/{id}/members");

    /// <summary>Cancel my enrolment, then back to My courses (fig. 80).</summary>
    public async Task<IActionResult> OnPostLeaveAsync(long id, CancellationToken ct)
    {
        var problem = await enrolments.RemoveAsync(Me, id, Me.UserId, ct);
        return problem is null ? After(null, L("You left the course."), "/courses") : Fail(problem, $"/courses/{id}/members");
    }

    public async Task<IActionResult> OnPostAddCoEducatorAsync(long id, string? email, CancellationToken ct)
    {
        var outcome = await coEducators.AddAsync(Me, id, new CoEducatorRequest(null, email), ct);
        return outcome.Succeeded
            ? After(null, L("{0} now teaches this course with you.", outcome.Value!.User.Name), $"/courses/{id}/members")
            : After(outcome.Problem, "", $"/courses/{id}/members");
    }

    public async Task<IActionResult> OnPostRemoveCoEducatorAsync(long id, long userId, string? name, CancellationToken ct) =>
        After(await coEducators.RemoveAsync(Me, id, userId, ct), L("{0} no longer teaches this course.", name ?? ""), $"/courses/{id}/members");
}
