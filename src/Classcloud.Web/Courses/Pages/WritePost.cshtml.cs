using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Write a post on one of a course's boards (seed 000 fig. 97, 101).</summary>
public sealed class WritePostModel(CourseService courses, PostService posts, AttachmentService attachments) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public string Board { get; set; } = "questions";

    [BindProperty]
    public PostForm Form { get; set; } = new();

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public CourseDto Course { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        var outcome = await posts.CreateAsync(Me, id, CourseNames.ParseBoard(Board)!.Value, Form.ToRequest(Board), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        var postId = outcome.Value!.Id;
        if (await FormFiles.AttachAsync(attachments, Me, postId, Files, ct) is { } refused)
        {
            FlashError(L("The post was saved, but a file was not attached: {0}", refused));
            return LocalRedirect($"/posts/{postId}/edit");
        }
        Flash(L("Posted."));
        return LocalRedirect($"/posts/{postId}");
    }

    async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded || CourseNames.ParseBoard(Board) is null)
        {
            return NotFound();
        }
        Course = course.Value!;
        return null;
    }
}
