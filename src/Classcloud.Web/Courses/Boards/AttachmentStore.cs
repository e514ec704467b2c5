using System.Security.Cryptography;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Courses;

/// <summary>
/// Attachment bytes under $DATA/files/attachments, named by a random key: nothing the uploader
/// chose ever becomes part of a path, so a name like "../../etc/passwd" is only a label.
/// </summary>
public sealed class AttachmentStore(IOptions<ClasscloudOptions> options, ILogger<AttachmentStore> logger)
{
    string Root => Path.Combine(options.Value.FullDataDirectory, "files", "attachments");

    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Copies at most maxBytes; returns the size, or null (and keeps nothing) when the content is longer.</summary>
    public async Task<long?> SaveAsync(string key, Stream content, long maxBytes, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".part";
        long total = 0;
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        if (total > maxBytes)
        {
            File.Delete(temp);
            return null;
        }
        File.Move(temp, path);
        return total;
    }

    public Stream? Open(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    /// <summary>Best effort after the rows are gone: a file left behind is only wasted space.</summary>
    public void DeleteAll(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                File.Delete(PathOf(key));
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not delete attachment file {Key}", key);
            }
        }
    }

    string PathOf(string key)
    {
        if (key.Length != 32 || !key.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not an attachment key.", nameof(key));
        }
        return Path.Combine(Root, key[..2], key);
    }
}
