using Classcloud.Web.Accounts;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Admin.Storage;

/// <summary>The administrators' storage page: who uses the disk, and the registry's images with a delete each.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class StorageModel(StorageReport report, ImageCatalog images, IStringLocalizer<SharedResource> t) : AppPageModel
{
    public StorageDto Storage { get; private set; } = new([], 0, false, false);

    public ImagesDto Images { get; private set; } = new([], false);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Storage = await report.ReportAsync(ct);
        Images = await images.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var problem = await images.DeleteAsync(id, ct);
        return After(problem, t["The image {0} is deleted.", id], "/admin/storage");
    }
}
