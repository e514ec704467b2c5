using Classcloud.Web.Accounts;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Admin.Storage;

/// <summary>The administrators' storage page: who uses the disk, and the registry's images with a delete each.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class StorageModel(StorageReport report, ImageCatalog images, IStringLocalizer<SharedResource> t) : PageModel
{
    const string MessageKey = "admin.message";
    const string ErrorKey = "admin.error";

    public StorageDto Storage { get; private set; } = new([], 0, false, false);

    public ImagesDto Images { get; private set; } = new([], false);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData[MessageKey] as string;
        Error = TempData[ErrorKey] as string;
        Storage = await report.ReportAsync(ct);
        Images = await images.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var problem = await images.DeleteAsync(id, ct);
        TempData[problem is null ? MessageKey : ErrorKey] = problem?.Detail ?? t["The image {0} is deleted.", id].Value;
        return LocalRedirect("/admin/storage");
    }
}
