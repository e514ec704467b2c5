using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>A post with its threaded comments, ten per page (seed 000 §3.4.3 items 4–5).</summary>
public sealed class PostViewModel(PostService posts, CommentService comments) : AppPageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>Open the page this comment is on (links from notifications).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Comment { get; set; }

    public PostDto Post { get; private set; } = null!;

    public CommentPage Comments { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var post = await posts.GetAsync(Me, id, ct);
        if (!post.Succeeded)
        {
            return post.Problem!.Status == StatusCodes.Status404NotFound ? NotFound() : Forbid();
        }
        Post = post.Value!;
        if (Comment is { } commentId && PageNumber is null)
        {
            PageNumber = await comments.PageOfAsync(id, commentId, ct);
        }
        Comments = (await comments.PageAsync(Me, id, PageNumber, ct)).Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostCommentAsync(long id, string? body, long? parentId, CancellationToken ct)
    {
        var outcome = await comments.AddAsync(Me, id, new CommentRequest(body, parentId), ct);
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, $"/posts/{id}?p={PageNumber ?? 1}");
        }
        var created = outcome.Value!;
        return LocalRedirect($"/posts/{id}?p={created.Page}#c{created.Comment.Id}");
    }

    public async Task<IActionResult> OnPostDeleteCommentAsync(long id, long commentId, CancellationToken ct) =>
        After(await comments.DeleteAsync(Me, commentId, ct), L("The comment was deleted."), $"/posts/{id}?p={PageNumber ?? 1}#c{commentId}");

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var post = await posts.GetAsync(Me, id, ct);
        if (!post.Succeeded)
        {
            return NotFound();
        }
        var problem = await posts.DeleteAsync(Me, id, ct);
        return problem is null
            ? After(null, L("The post was deleted."), $"/courses/{post.Value!.CourseId}?board={post.Value.Board}")
            : Fail(problem, $"/posts/{id}");
    }

    public async Task<IActionResult> OnPostHideAsync(long id, bool hidden, CancellationToken ct)
    {
        var outcome = await posts.SetHiddenAsync(Me, id, hidden, ct);
        return After(outcome.Problem, hidden ? L("The post is hidden from students.") : L("The post is visible again."), $"/posts/{id}");
    }
}
