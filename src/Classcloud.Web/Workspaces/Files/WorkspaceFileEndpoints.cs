using System.Security.Claims;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>
/// <c>POST /api/v1/workspaces/{id}/files?path=folder</c> (multipart, field <c>file</c>, one or more) and
/// <c>GET /api/v1/workspaces/{id}/files?path=…</c> (a file, or a folder as .tar). Who and when:
/// <see cref="WorkspaceFileAccess"/>; names: <see cref="HomePaths"/>.
/// </summary>
public static class WorkspaceFileEndpoints
{
    /// <summary>Room for the multipart boundaries and part headers around the files.</summary>
    const long Envelope = 256 * 1024;

    public static void MapWorkspaceFileApi(this WebApplication app)
    {
        var files = app.MapGroup("/api/v1/workspaces/{id:long}/files").RequireAuthorization().WithTags("Workspaces");
        // Multipart from script, without an antiforgery field: a post from any other origin (a student's app on the apps
        // domain included, which SameSite=Lax would let through) is refused by CrossSiteGuard before it gets here.
        files.MapPost("", UploadAsync).DisableAntiforgery();
        files.MapGet("", DownloadAsync);
    }

    static async Task<Results<Ok<UploadedFilesDto>, ProblemHttpResult>> UploadAsync(
        long id, string? path, HttpRequest request, ClaimsPrincipal user, WorkspaceFileAccess access, HomeUploads uploads,
        IOptions<WorkspaceFilesOptions> options, AuditLog audit, CancellationToken ct)
    {
        // Who and when first: a watcher or a stopped workspace is told so before a byte of the body is read.
        var target = await access.OpenAsync(id, Caller.From(user), ct);
        if (!target.Succeeded)
        {
            return target.Problem!.ToResult();
        }
        var folder = HomePaths.Parse(path, homeAllowed: true);
        if (!folder.Succeeded)
        {
            return folder.Problem!.ToResult();
        }
        var files = await ReadFilesAsync(request, options.Value, ct);
        if (!files.Succeeded)
        {
            return files.Problem!.ToResult();
        }
        var outcome = await uploads.UploadAsync(target.Value!, folder.Value!, files.Value!, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        // Files crossing into or out of a workspace are on the record, as a connection is.
        await audit.RecordAndSaveAsync("workspace.files.upload", $"workspace:{id}",
            $"{outcome.Value!.Files.Count} file(s) into ~/{outcome.Value.Folder}".TrimEnd('/'), null, null, ct);
        return TypedResults.Ok(outcome.Value!);
    }

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        long id, string? path, HttpContext http, WorkspaceFileAccess access, HomeDownloads downloads, AuditLog audit, CancellationToken ct)
    {
        var target = await access.OpenAsync(id, Caller.From(http.User), ct);
        if (!target.Succeeded)
        {
            return target.Problem!.ToResult();
        }
        var relative = HomePaths.Parse(path, homeAllowed: true);
        if (!relative.Succeeded)
        {
            return relative.Problem!.ToResult();
        }
        var opened = await downloads.OpenAsync(target.Value!, relative.Value!, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!.ToResult();
        }
        var download = opened.Value!;
        await audit.RecordAndSaveAsync("workspace.files.download", $"workspace:{id}", $"~/{relative.Value}".TrimEnd('/'), null, null, ct);
        // As attachments are served: never sniffed, sandboxed if opened directly, always a download.
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private, no-cache";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(download.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(async body =>
        {
            try
            {
                await download.WriteAsync(body, http.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or Classcloud.Platform.PlatformException)
            {
                // Part way through: cut the response off so the browser reports a failed download, not a short file.
                http.Abort();
            }
        }, download.ContentType);
    }

    /// <summary>Reads the files of the multipart form with this route's own size limits, before anything is buffered.</summary>
    static async Task<Outcome<IReadOnlyList<UploadedFile>>> ReadFilesAsync(HttpRequest request, WorkspaceFilesOptions options, CancellationToken ct)
    {
        var max = options.MaxUploadBytes;
        if (!request.HasFormContentType)
        {
            return new Problem(StatusCodes.Status415UnsupportedMediaType, "Send the files as multipart/form-data in the form field 'file'.");
        }
        if (request.ContentLength > max + Envelope)
        {
            return TooLarge(max);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = max + Envelope;
        }
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = max + Envelope,
            ValueCountLimit = options.MaxUploadFiles + 16,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return Problem.BadRequest("The upload is not a well-formed multipart form.");
        }
        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
        {
            return Problem.BadRequest("Attach at least one file in the form field 'file'.");
        }
        if (files.Count > options.MaxUploadFiles)
        {
            return Problem.BadRequest("One upload takes at most {0} files.", options.MaxUploadFiles);
        }
        if (files.Sum(f => f.Length) > max)
        {
            return TooLarge(max);
        }
        return new Outcome<IReadOnlyList<UploadedFile>>([.. files.Select(f => new UploadedFile(f.FileName, f.Length, f.OpenReadStream))], null);
    }

    static Problem TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "The files are larger than the limit of {0} MB.", Math.Round(max / (1024.0 * 1024), 1));
}
