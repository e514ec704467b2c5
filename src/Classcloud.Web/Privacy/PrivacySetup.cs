using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Privacy;

/// <summary>
/// Personal data (issue 16): a person's export and what deleting the account takes, the erasure steps that are
/// not a feature's own, and the administrators' audit log export.
/// </summary>
public static class PrivacySetup
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart()
            .Validate(o => o.MaxHomeExportBytes >= 0, $"{PrivacyOptions.Section}:MaxHomeExportBytes must not be negative.");
        services.AddScoped<PersonalDataRecords>();
        services.AddScoped<PersonalDataExport>();
        services.AddScoped<HomeExport>();
        services.AddScoped<DeletionPreview>();
        services.AddScoped<AuditExport>();
        services.AddScoped<IAccountEraser, RecordsEraser>();
        return builder;
    }

    public static WebApplication MapPrivacy(this WebApplication app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization().WithTags("Me");
        me.MapGet("/export", ExportAsync);
        me.MapGet("/deletion", PreviewAsync);
        app.MapGet("/api/v1/admin/audit/export", ExportAuditAsync).RequireAuthorization(Policies.Admin).WithTags("Admin");
        return app;
    }

    static async Task<PushStreamHttpResult> ExportAsync(bool? homes, ClaimsPrincipal user, PersonalDataExport export, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var id = user.UserId();
        await audit.RecordAndSaveAsync("me.export", null, homes == true ? "with workspace homes" : null, null, null, ct);
        var name = $"classcloud-my-data-{time.GetUtcNow():yyyyMMdd}.zip";
        return TypedResults.Stream(stream => export.WriteAsync(id, homes == true, stream, ct), "application/zip", name);
    }

    static async Task<Ok<DeletionPreviewDto>> PreviewAsync(ClaimsPrincipal user, DeletionPreview preview, CancellationToken ct) =>
        TypedResults.Ok(await preview.ForAsync(user.UserId(), ct));

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportAuditAsync(
        string? from, string? to, string? format, AuditExport export, AuditLog audit, CancellationToken ct)
    {
        var checkedRange = export.Check(from, to, format);
        if (!checkedRange.Succeeded)
        {
            return checkedRange.Problem!.ToResult();
        }
        var range = checkedRange.Value!;
        // Who took a copy of the log, and of which days, is itself worth a line in it.
        await audit.RecordAndSaveAsync("audit.export", null, $"{range.From:O} to {range.To:O} as {(range.Csv ? "csv" : "jsonl")}", null, null, ct);
        var name = $"classcloud-audit-{range.From:yyyyMMdd}-{range.To.AddTicks(-1):yyyyMMdd}.{(range.Csv ? "csv" : "jsonl")}";
        return TypedResults.Stream(stream => export.WriteAsync(range, stream, ct),
            range.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8", name);
    }
}
