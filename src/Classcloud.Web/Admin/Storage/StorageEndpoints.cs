using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Classcloud.Web.Admin.Storage;

/// <summary>Storage per user and the registry's images (issue 16); administrators only.</summary>
public static class StorageEndpoints
{
    public static void MapStorageApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapGet("/storage", async (StorageReport report, CancellationToken ct) => TypedResults.Ok(await report.ReportAsync(ct)));
        api.MapGet("/images", async (ImageCatalog images, CancellationToken ct) => TypedResults.Ok(await images.ListAsync(ct)));
        api.MapDelete("/images/{id}", DeleteImageAsync);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteImageAsync(string id, ImageCatalog images, CancellationToken ct) =>
        await images.DeleteAsync(id, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();
}
