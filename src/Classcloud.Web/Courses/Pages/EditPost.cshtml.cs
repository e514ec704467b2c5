using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Edit a post and its attachments (seed 000 fig. 104–105); the service decides who may.</summary>
public sealed class EditPostModel(PostService posts, AttachmentService attachments) : AppPageModel
{
    [BindProperty]
    public PostForm Form { get; set; } = new();

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public PostDto Post { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        Form = new PostForm { Title = Post.Title, Body = Post.Body, Visibility = Post.Visibility, Pinned = Post.Pinned, Important = Post.Important };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        var outcome = await posts.UpdateAsync(Me, id, Form.ToRequest(Post.Board), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        if (await FormFiles.AttachAsync(attachments, Me, id, Files, ct) is { } notAttached)
        {
            FlashError(notAttached);
            return LocalRedirect($"/posts/{id}/edit");
        }
        Flash(L("Saved."));
        return LocalRedirect($"/posts/{id}");
    }

    public async Task<IActionResult> OnPostRemoveFileAsync(long id, long attachmentId, CancellationToken ct) =>
        After(await attachments.DeleteAsync(Me, attachmentId, ct), L("The file was removed."), $"/posts/{id}/edit");

    async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var post = await posts.GetAsync(Me, id, ct);
        if (!post.Succeeded)
        {
            return post.Problem!.Status == StatusCodes.Status404NotFound ? NotFound() : Forbid();
        }
        Post = post.Value!;
        return Post.CanEdit ? null : Forbid();
    }
}
