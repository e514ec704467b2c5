using System.Security.Claims;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Boards, posts, comments and attachments (issue 6 contract). Rules live in <see cref="CourseAccess"/>.</summary>
public static class BoardEndpoints
{
    public static void MapBoardApi(this WebApplication app)
    {
        var boards = app.MapGroup("/api/v1/courses/{id:long}/boards/{board}/posts").RequireAuthorization().WithTags("Boards");
        boards.MapGet("/", ListAsync);
        boards.MapPost("/", CreateAsync);

        var posts = app.MapGroup("/api/v1/posts/{id:long}").RequireAuthorization().WithTags("Boards");
        posts.MapGet("/", GetAsync);
        posts.MapPut("/", UpdateAsync);
        posts.MapDelete("/", DeleteAsync);
        posts.MapPost("/hide", (long id, ClaimsPrincipal user, PostService s, CancellationToken ct) => HideAsync(id, true, user, s, ct));
        posts.MapPost("/unhide", (long id, ClaimsPrincipal user, PostService s, CancellationToken ct) => HideAsync(id, false, user, s, ct));
        posts.MapGet("/comments", CommentsAsync);
        posts.MapPost("/comments", CommentAsync);
        // Multipart; cookies are SameSite=Lax, so another site cannot post it with the user's session.
        posts.MapPost("/attachments", UploadAsync).DisableAntiforgery();

        var items = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Boards");
        items.MapDelete("/comments/{id:long}", DeleteCommentAsync);
        items.MapGet("/attachments/{id:long}", DownloadAsync);
        items.MapDelete("/attachments/{id:long}", DeleteAttachmentAsync);
    }

    static async Task<Results<Ok<Paged<PostSummaryDto>>, ProblemHttpResult>> ListAsync(
        long id, string board, [AsParameters] PostQuery query, ClaimsPrincipal user, PostService posts, IOptions<LimitsOptions> limits,
        IStringLocalizer<SharedResource> t, CancellationToken ct) =>
        CourseNames.ParseBoard(board) is { } kind
            ? CourseEndpoints.Reply(await posts.ListAsync(Caller.From(user), id, kind, query, limits.Value.MaxPageSize, ct))
            : NoSuchBoard(t).ToResult();

    static async Task<Results<Created<PostDto>, ProblemHttpResult>> CreateAsync(
        long id, string board, PostRequest request, ClaimsPrincipal user, PostService posts, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        if (CourseNames.ParseBoard(board) is not { } kind)
        {
            return NoSuchBoard(t).ToResult();
        }
        var outcome = await posts.CreateAsync(Caller.From(user), id, kind, request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/posts/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<PostDto>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, PostService posts, CancellationToken ct) =>
        CourseEndpoints.Reply(await posts.GetAsync(Caller.From(user), id, ct));

    static async Task<Results<Ok<PostDto>, ProblemHttpResult>> UpdateAsync(long id, PostRequest request, ClaimsPrincipal user, PostService posts, CancellationToken ct) =>
        CourseEndpoints.Reply(await posts.UpdateAsync(Caller.From(user), id, request, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, PostService posts, CancellationToken ct) =>
        CourseEndpoints.Done(await posts.DeleteAsync(Caller.From(user), id, ct));

    static async Task<Results<Ok<PostDto>, ProblemHttpResult>> HideAsync(long id, bool hidden, ClaimsPrincipal user, PostService posts, CancellationToken ct) =>
        CourseEndpoints.Reply(await posts.SetHiddenAsync(Caller.From(user), id, hidden, ct));

    static async Task<Results<Ok<CommentPage>, ProblemHttpResult>> CommentsAsync(long id, int? page, ClaimsPrincipal user, CommentService comments, CancellationToken ct) =>
        CourseEndpoints.Reply(await comments.PageAsync(Caller.From(user), id, page, ct));

    static async Task<Results<Created<CreatedComment>, ProblemHttpResult>> CommentAsync(long id, CommentRequest request, ClaimsPrincipal user, CommentService comments, CancellationToken ct)
    {
        var outcome = await comments.AddAsync(Caller.From(user), id, request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/posts/{id}/comments?page={outcome.Value!.Page}", outcome.Value)
            : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteCommentAsync(long id, ClaimsPrincipal user, CommentService comments, CancellationToken ct) =>
        CourseEndpoints.Done(await comments.DeleteAsync(Caller.From(user), id, ct));

    static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> UploadAsync(
        long id, HttpRequest request, ClaimsPrincipal user, AttachmentService attachments, IOptions<CoursesOptions> options,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var upload = await Uploads.ReadAsync(request, options.Value.MaxAttachmentBytes, t, ct);
        if (!upload.Succeeded)
        {
            return upload.Problem!.ToResult();
        }
        await using var content = upload.Value!.OpenReadStream();
        var outcome = await attachments.UploadAsync(Caller.From(user), id, upload.Value.FileName, content, ct);
        return outcome.Succeeded ? TypedResults.Created(outcome.Value!.Url, outcome.Value) : outcome.Problem!.ToResult();
    }

    /// <summary>
    /// Served only after the post's read check, never sniffed, sandboxed if opened directly, and
    /// named through a properly encoded Content-Disposition; only raster images are shown inline.
    /// </summary>
    static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(long id, HttpContext http, AttachmentService attachments, CancellationToken ct)
    {
        var outcome = await attachments.OpenAsync(Caller.From(http.User), id, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        var download = outcome.Value!;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-cache";
        var disposition = new ContentDispositionHeaderValue(download.Inline ? "inline" : "attachment");
        disposition.SetHttpFileName(download.Attachment.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(download.Content, download.Attachment.ContentType);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAttachmentAsync(long id, ClaimsPrincipal user, AttachmentService attachments, CancellationToken ct) =>
        CourseEndpoints.Done(await attachments.DeleteAsync(Caller.From(user), id, ct));

    static Problem NoSuchBoard(IStringLocalizer<SharedResource> t) => Problem.NotFound("There is no such board; use notice, questions or free.");
}
