using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>A course's home: its three boards for members (seed 000 §3.4.3); the course and an Apply button for others.</summary>
public sealed class CourseHomeModel(CourseService courses, PostService posts, EnrolmentService enrolments) : AppPageModel
{
    public static readonly string[] Boards = ["notice", "questions", "free"];

    [BindProperty(SupportsGet = true)]
    public string Board { get; set; } = "notice";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public CourseDto Course { get; private set; } = null!;

    public Paged<PostSummaryDto>? Posts { get; private set; }

    public bool IsMember => Course.MyStatus is "owner" or "coeducator" or "accepted" or "admin";

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public bool CanWrite => Board == "notice" ? IsEducator : IsMember;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        if (CourseNames.ParseBoard(Board) is not { } board)
        {
            return NotFound();
        }
        if (IsMember)
        {
            var list = await posts.ListAsync(Me, id, board, new PostQuery(Q, PageNumber, 20), 100, ct);
            Posts = list.Value;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(long id, CancellationToken ct)
    {
        var outcome = await enrolments.ApplyAsync(Me, id, ct);
        return outcome.Succeeded
            ? After(null, outcome.Value!.Status == "accepted" ? L("You joined the course.") : L("Your application was sent. The educator will decide."), $"/courses/{id}")
            : Fail(outcome.Problem!, $"/courses/{id}");
    }

    public string BoardName(string board) => board switch
    {
        "notice" => L("Notice"),
        "questions" => L("Questions"),
        _ => L("Free board"),
    };
}
