using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments.Pages;

/// <summary>/courses/{id}/assignments: students see state, due time and released results and submit; educators create.</summary>
public sealed class AssignmentsPageModel(CourseService courses, AssignmentService assignments, SubmissionService submissions) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<AssignmentDto> Assignments { get; private set; } = [];

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        var listed = await assignments.ListAsync(Me, id, ct);
        if (!course.Succeeded || !listed.Succeeded)
        {
            return NotFound();
        }
        (Course, Assignments) = (course.Value!, listed.Value!);
        return Page();
    }

    /// <summary>The create form: the main fields, one starter file and up to three tests as plain fields.</summary>
    public async Task<IActionResult> OnPostCreateAsync(long id, AssignmentForm form, CancellationToken ct)
    {
        var outcome = await assignments.CreateAsync(Me, id, form.ToRequest(), ct);
        return outcome.Succeeded
            ? After(null, L("The assignment was created."), $"/assignments/{outcome.Value!.Id}")
            : After(outcome.Problem, "", $"/courses/{id}/assignments");
    }

    public async Task<IActionResult> OnPostSubmitAsync(long id, long assignmentId, CancellationToken ct)
    {
        var outcome = await submissions.SubmitAsync(Me, assignmentId, ct);
        return After(outcome.Problem, L("Submitted: {0} files taken from your workspace.", outcome.Value?.FileCount ?? 0), $"/courses/{id}/assignments");
    }
}

/// <summary>The page's create form. Times come as the browser's local time with its offset (minutes, as JavaScript gives it).</summary>
public sealed class AssignmentForm
{
    public string? Title { get; set; }
    public string? Slug { get; set; }
    public string? Description { get; set; }
    public string? Language { get; set; }
    public DateTime? OpensAt { get; set; }
    public DateTime? DueAt { get; set; }
    public int TzOffset { get; set; }
    public string? StarterPath { get; set; }
    public string? StarterContent { get; set; }
    public string?[] Stdin { get; set; } = [];
    public string?[] Expected { get; set; } = [];
    public string?[] Compare { get; set; } = [];
    public int?[] Points { get; set; } = [];
    public string?[] Visibility { get; set; } = [];

    public AssignmentRequest ToRequest()
    {
        DateTimeOffset? Utc(DateTime? local) => local is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Unspecified), TimeSpan.FromMinutes(-TzOffset)) : null;
        var tests = new List<TestRequest>();
        for (var i = 0; i < Math.Min(Expected.Length, 10); i++)
        {
            if (string.IsNullOrEmpty(Expected[i]) && string.IsNullOrEmpty(Stdin.ElementAtOrDefault(i)))
            {
                continue;
            }
            tests.Add(new TestRequest(null, Stdin.ElementAtOrDefault(i)?.ReplaceLineEndings("\n"), Expected[i]?.ReplaceLineEndings("\n"),
                Compare.ElementAtOrDefault(i), Points.ElementAtOrDefault(i), null, null, Visibility.ElementAtOrDefault(i)));
        }
        var starter = string.IsNullOrWhiteSpace(StarterPath) ? [] : new[] { new StarterFile(StarterPath, StarterContent?.ReplaceLineEndings("\n")) };
        return new AssignmentRequest(Title, string.IsNullOrWhiteSpace(Slug) ? null : Slug, Description, Language, null, Utc(OpensAt), Utc(DueAt),
            null, starter, tests);
    }
}
