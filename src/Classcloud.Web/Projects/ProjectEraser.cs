using Classcloud.Platform.Registry;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Projects.Deploy;
using Classcloud.Web.Projects.Serve;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Projects;

/// <summary>
/// Erasing an account removes its projects as a delete does (the app's workload desired removed through the
/// conductor, the uploaded source, the rows) and also their revisions' images in the registry: an app image is
/// the person's code, so unlike a plain project delete it does not wait for a registry clean-up.
/// </summary>
public sealed class ProjectEraser(ClasscloudDb db, ProjectRuntime runtime, SourceArchive sources, IServiceProvider services, ILogger<ProjectEraser> log)
    : IAccountEraser
{
    public int Order => 20;

    public async Task EraseAsync(User user, CancellationToken ct)
    {
        var registry = services.GetService<RegistryClient>();
        foreach (var project in await db.Projects.Where(p => p.OwnerId == user.Id).ToListAsync(ct))
        {
            await runtime.RemoveAsync(project.Id, ct);
            var images = await db.ProjectRevisions.Where(r => r.ProjectId == project.Id).Select(r => r.Image).ToListAsync(ct);
            foreach (var image in images.Distinct())
            {
                await DeleteImageAsync(registry, image, ct);
            }
            sources.Delete(project.Id);
            db.Projects.Remove(project);
            await db.SaveChangesAsync(ct);
        }
    }

    async Task DeleteImageAsync(RegistryClient? registry, string image, CancellationToken ct)
    {
        if (registry is null)
        {
            return; // no platform on this host: nothing was pushed from here
        }
        try
        {
            await registry.DeleteAsync(image, ct);
        }
        catch (ArgumentException ex)
        {
            // Built into another registry than the one configured now; nothing this host can reach.
            log.LogWarning(ex, "Image {Image} is not in the configured registry; left in place", image);
        }
    }
}
