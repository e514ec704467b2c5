using System.Globalization;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>A download: the row, its bytes, and whether a browser may show it inline (raster images only).</summary>
public sealed record AttachmentDownload(Attachment Attachment, Stream Content, bool Inline);

/// <summary>Files on posts: allowed types and a size limit from the settings, reads checked like the post's.</summary>
public sealed class AttachmentService(
    ClasscloudDb db, CourseGate gate, AttachmentStore store, IOptions<CoursesOptions> options,
    IStringLocalizer<SharedResource> t, TimeProvider time)
{
    static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".json"] = "application/json",
        [".zip"] = "application/zip",
    };

    public async Task<Outcome<AttachmentDto>> UploadAsync(Caller caller, long postId, string? fileName, Stream content, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (post, access) = opened.Value!;
        if (!access.CanEdit(post))
        {
            return Problem.Forbidden("Only those who may edit this post can attach files to it.");
        }
        if (access.Course.ArchivedAt is not null)
        {
            return gate.Archived;
        }
        if (await db.Attachments.CountAsync(a => a.PostId == postId, ct) >= CourseLimits.MaxAttachmentsPerPost)
        {
            return Problem.Conflict("A post can have at most {0} attachments.", CourseLimits.MaxAttachmentsPerPost);
        }
        var name = SafeFileName(fileName);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var settings = options.Value;
        if (!settings.AllowedExtensions.Contains(extension))
        {
            return new Problem(StatusCodes.Status415UnsupportedMediaType,
                "Files of type '{0}' cannot be attached. Allowed: {1}.", extension.Length == 0 ? name : extension, string.Join(" ", settings.AllowedExtensions.Order()));
        }
        var key = AttachmentStore.NewKey();
        var size = await store.SaveAsync(key, content, settings.MaxAttachmentBytes, ct);
        if (size is null)
        {
            return TooLarge(settings.MaxAttachmentBytes);
        }
        var contentType = ContentTypes.GetValueOrDefault(extension, "application/octet-stream");
        if (contentType.StartsWith("image/", StringComparison.Ordinal) && !await LooksLikeAsync(key, extension, ct))
        {
            store.DeleteAll([key]);
            return Problem.BadRequest("'{0}' is not a valid {1} image.", name, extension.TrimStart('.').ToUpperInvariant());
        }
        var attachment = new Attachment
        {
            PostId = postId,
            UploaderId = caller.UserId,
            FileName = name,
            ContentType = contentType,
            Size = size.Value,
            StorageKey = key,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Attachments.Add(attachment);
        await db.SaveChangesAsync(ct);
        return Describe(attachment);
    }

    /// <summary>The same check as reading the post: an attachment of a post you cannot see does not exist for you.</summary>
    public async Task<Outcome<AttachmentDownload>> OpenAsync(Caller caller, long id, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (attachment is null)
        {
            return NoSuchAttachment;
        }
        var opened = await gate.OpenPostAsync(attachment.PostId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!.Status == StatusCodes.Status404NotFound ? NoSuchAttachment : opened.Problem;
        }
        var content = store.Open(attachment.StorageKey);
        return content is null ? NoSuchAttachment : new AttachmentDownload(attachment, content, IsRasterImage(attachment.ContentType));
    }

    public async Task<Problem?> DeleteAsync(Caller caller, long id, CancellationToken ct)
    {
        var attachment = await db.Attachments.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (attachment is null)
        {
            return NoSuchAttachment;
        }
        var opened = await gate.OpenPostAsync(attachment.PostId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!.Status == StatusCodes.Status404NotFound ? NoSuchAttachment : opened.Problem;
        }
        var (post, access) = opened.Value!;
        if (!access.CanEdit(post) && !access.IsEducator)
        {
            return Problem.Forbidden("Only those who may edit this post can remove its attachments.");
        }
        db.Attachments.Remove(attachment);
        await db.SaveChangesAsync(ct);
        store.DeleteAll([attachment.StorageKey]);
        return null;
    }

    public Problem TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, t["The file is larger than {0} MB.", (max / (1024.0 * 1024)).ToString("0.#", CultureInfo.CurrentCulture)]);

    static Problem NoSuchAttachment => Problem.NotFound("No such attachment.");

    public static AttachmentDto Describe(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, "/api/v1/attachments/" + a.Id);

    /// <summary>
    /// Keeps only the last path segment of an uploaded name and drops control, bidi-override and
    /// reserved characters, so "../../etc/passwd" becomes "passwd" and a name cannot fake its extension.
    /// </summary>
    public static string SafeFileName(string? raw)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c) && !IsFormat(c) && c is not ('"' or '<' or '>' or ':' or '|' or '?' or '*' or ';')).ToArray());
        name = name.Trim().TrimStart('.').Trim();
        if (name.Length == 0)
        {
            return "file";
        }
        if (name.Length > CourseLimits.FileName)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length > 20 ? "" : extension;
            name = name[..(CourseLimits.FileName - extension.Length)] + extension;
        }
        return name;
    }

    static bool IsFormat(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    static bool IsRasterImage(string contentType) => contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>The first bytes match the image type the name claims.</summary>
    async Task<bool> LooksLikeAsync(string key, string extension, CancellationToken ct)
    {
        await using var stream = store.Open(key);
        if (stream is null)
        {
            return false;
        }
        var head = new byte[12];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var bytes = head.AsSpan(0, read);
        return extension switch
        {
            ".png" => bytes.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
            ".jpg" or ".jpeg" => bytes.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }),
            ".gif" => bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8),
            ".webp" => read == 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8),
            _ => false,
        };
    }
}
