using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace Classcloud.Web.Tests.Projects;

/// <summary>ZIPs for the project tests, made in memory, and the multipart request that uploads one.</summary>
internal static class ProjectZips
{
    public static byte[] Make(params (string Path, string Text)[] files) => Make(files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Text), 0)).ToArray());

    /// <param name="files">Path, content and unix mode bits (0: a plain file).</param>
    public static byte[] Make((string Path, byte[] Data, int Mode)[] files)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, data, mode) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.SmallestSize);
                if (mode != 0)
                {
                    entry.ExternalAttributes = mode << 16;
                }
                using var stream = entry.Open();
                stream.Write(data);
            }
        }
        return memory.ToArray();
    }

    public static MultipartFormDataContent Form(byte[] zip)
    {
        var file = new ByteArrayContent(zip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return new MultipartFormDataContent { { file, "file", "source.zip" } };
    }

    public static string Name(string tag) => $"{tag}-{Guid.NewGuid():N}"[..16];
}
