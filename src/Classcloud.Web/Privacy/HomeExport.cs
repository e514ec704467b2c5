using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Privacy;

/// <summary>
/// The optional part of "download my data": each workspace's home folder as a tar, copied by a helper container,
/// within <see cref="PrivacyOptions.MaxHomeExportBytes"/> in all; what is left out is said in the README's notes.
/// </summary>
public sealed class HomeExport(
    ClasscloudDb db, IContainerPlatform platform, HomeArchiver homes, WorkspaceNames names, IOptions<PrivacyOptions> options, ILogger<HomeExport> log)
{
    internal async Task WriteAsync(ExportEntries entries, long userId, List<string> notes, CancellationToken ct)
    {
        if (!platform.Features.Enabled)
        {
            notes.Add("Workspace homes: the container platform is not enabled on this server, so there were none to copy.");
            return;
        }
        long budget = options.Value.MaxHomeExportBytes;
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.OwnerId == userId && !w.Deleting).OrderBy(w => w.Id).ToListAsync(ct);
        foreach (var w in workspaces)
        {
            var file = Path.GetTempFileName();
            try
            {
                // A helper mounts the home volume read-only, so a running workspace is copied as it is now.
                await homes.ArchiveHomeAsync(w.Image, names.Volume(w), names.Tenant(w.OwnerId), names.Helper(w.Id), file, ct);
                var size = new FileInfo(file).Length;
                if (size > budget)
                {
                    notes.Add($"homes/{w.Id}.tar ({w.Name}) left out: {size / 1048576} MiB would pass the export's limit; ask an administrator.");
                    continue;
                }
                budget -= size;
                await entries.FileAsync($"homes/{w.Id}.tar", file, ct);
            }
            catch (Exception ex) when (ex is PlatformException or InvalidOperationException)
            {
                // One workspace that cannot be read (an image without tar, a home over HomeArchiver's limit) does not spoil the rest.
                log.LogWarning(ex, "Home of workspace {Workspace} not exported", w.Id);
                notes.Add($"homes/{w.Id}.tar ({w.Name}) could not be copied: {ex.Message}");
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
