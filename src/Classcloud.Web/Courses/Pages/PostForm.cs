using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>The post form of the write and edit pages.</summary>
public sealed class PostForm
{
    public string? Title { get; set; }
    public string? Body { get; set; }
    public string Visibility { get; set; } = "everyone";
    public bool Pinned { get; set; }
    public bool Important { get; set; }

    public PostRequest ToRequest(string board) => board == "notice"
        ? new(Title, Body, "everyone", Pinned, Important)
        : new(Title, Body, Visibility, null);
}

/// <summary>Attaches the files of a post form; the first refusal is returned as a sentence, the rest are skipped.</summary>
public static class FormFiles
{
    public static async Task<string?> AttachAsync(AttachmentService attachments, Caller caller, long postId, IEnumerable<IFormFile> files, CancellationToken ct)
    {
        foreach (var file in files.Where(f => f.Length > 0))
        {
            await using var content = file.OpenReadStream();
            var outcome = await attachments.UploadAsync(caller, postId, file.FileName, content, ct);
            if (!outcome.Succeeded)
            {
                return outcome.Problem!.Detail;
            }
        }
        return null;
    }
}
