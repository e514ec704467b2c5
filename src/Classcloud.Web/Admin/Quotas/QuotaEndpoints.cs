using System.Security.Claims;
using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin.Quotas;

/// <summary>The CPU and memory quota: administrators set it, every user reads what they run against it.</summary>
public static class QuotaEndpoints
{
    public static WebApplicationBuilder AddQuotas(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ResourceQuotas>();
        builder.Services.AddSingleton<QuotaHolds>();
        builder.Services.AddScoped<QuotaSettings>();
        return builder;
    }

    public static void MapQuotaApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/v1/admin/quotas").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("", async Task<Ok<QuotaSettingsDto>> (SettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(QuotaSettingsDto.From(await settings.GetAsync(ct))));
        admin.MapPut("", async Task<Results<Ok<QuotaSettingsDto>, ProblemHttpResult>> (QuotaSettingsDto request, QuotaSettings quotas, CancellationToken ct) =>
        {
            var outcome = await quotas.UpdateAsync(request, ct);
            return outcome.Succeeded ? TypedResults.Ok(QuotaSettingsDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
        });
        app.MapGet("/api/v1/me/quota", async Task<Ok<QuotaUseDto>> (ClaimsPrincipal me, ResourceQuotas quotas, CancellationToken ct) =>
            TypedResults.Ok(await quotas.UseAsync(me.UserId(), ct))).RequireAuthorization().WithTags("Me");
    }
}
