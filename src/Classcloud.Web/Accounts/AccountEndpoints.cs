using System.Security.Claims;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Accounts;

/// <summary>The accounts API (issue contract: /api/v1/auth/*, /api/v1/me, /api/v1/tokens).</summary>
public static class AccountEndpoints
{
    public static void MapAccountApi(this WebApplication app)
    {
        var auth = app.MapGroup("/api/v1/auth").RequireRateLimiting(ClasscloudDefaults.AuthRateLimit).WithTags("Auth").AllowAnonymous();
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/verify", VerifyAsync);
        auth.MapPost("/resend-verification", ResendAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapPost("/forgot-id", ForgotIdAsync);
        auth.MapPost("/forgot-password", ForgotPasswordAsync);
        auth.MapPost("/reset-password", ResetPasswordAsync);

        var me = app.MapGroup("/api/v1/me").RequireAuthorization().WithTags("Me");
        me.MapGet("/", GetMeAsync);
        me.MapPut("/", UpdateMeAsync);
        me.MapPost("/password", ChangePasswordAsync);
        me.MapDelete("/", DeleteMeAsync);

        var tokens = app.MapGroup("/api/v1/tokens").RequireAuthorization().WithTags("Tokens");
        tokens.MapGet("/", ListTokensAsync);
        tokens.MapPost("/", CreateTokenAsync);
        tokens.MapDelete("/{id:long}", RevokeTokenAsync);
    }

    static async Task<Results<Created<MeDto>, ProblemHttpResult>> RegisterAsync(RegisterRequest request, RegistrationService registration, CancellationToken ct)
    {
        var outcome = await registration.RegisterAsync(request, ct);
        return outcome.Succeeded ? TypedResults.Created("/api/v1/me", MeDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<MeDto>, ProblemHttpResult>> VerifyAsync(TokenRequest request, EmailVerification registration, CancellationToken ct)
    {
        var outcome = await registration.VerifyAsync(request.Token, ct);
        return outcome.Succeeded ? TypedResults.Ok(MeDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
    }

    static async Task<Accepted> ResendAsync(EmailRequest request, VerificationLinks registration, CancellationToken ct)
    {
        await registration.ResendAsync(request.Email, ct);
        return TypedResults.Accepted((string?)null);
    }

    static async Task<Results<Ok<MeDto>, ProblemHttpResult>> LoginAsync(LoginRequest request, SignInService signIn, CancellationToken ct)
    {
        var outcome = await signIn.SignInAsync(request.Email, request.Password, request.RememberMe, ct);
        return outcome.Succeeded ? TypedResults.Ok(MeDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
    }

    static async Task<NoContent> LogoutAsync(SignInService signIn, CancellationToken ct)
    {
        await signIn.SignOutAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Accepted, ProblemHttpResult>> ForgotIdAsync(ForgotIdRequest request, RecoveryService recovery, CancellationToken ct) =>
        await recovery.RemindIdAsync(request, ct) is { } problem ? problem.ToResult() : TypedResults.Accepted((string?)null);

    static async Task<Results<Accepted, ProblemHttpResult>> ForgotPasswordAsync(EmailRequest request, RecoveryService recovery, CancellationToken ct) =>
        await recovery.RequestResetAsync(request.Email, ct) is { } problem ? problem.ToResult() : TypedResults.Accepted((string?)null);

    static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(ResetPasswordRequest request, RecoveryService recovery, CancellationToken ct) =>
        await recovery.ResetAsync(request, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    static async Task<Results<Ok<MeDto>, NotFound>> GetMeAsync(ClaimsPrincipal principal, ClasscloudDb db, CancellationToken ct)
    {
        var id = principal.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(MeDto.From(user));
    }

    static async Task<Results<Ok<MeDto>, ProblemHttpResult>> UpdateMeAsync(UpdateProfileRequest request, ClaimsPrincipal principal, ProfileService profiles, SignInService signIn, CancellationToken ct)
    {
        var outcome = await profiles.UpdateAsync(principal.UserId(), request, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        signIn.RememberCulture(outcome.Value!);
        return TypedResults.Ok(MeDto.From(outcome.Value!));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal principal, PasswordChange passwords, SignInService signIn, CancellationToken ct)
    {
        if (await passwords.ChangePasswordAsync(principal.UserId(), request, ct) is { } problem)
        {
            return problem.ToResult();
        }
        await signIn.RefreshAsync(principal.UserId());
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteMeAsync(
        [Microsoft.AspNetCore.Mvc.FromBody] DeleteAccountRequest request, ClaimsPrincipal principal, AccountDeletion deletion,
        Microsoft.AspNetCore.Identity.SignInManager<User> signIn, CancellationToken ct)
    {
        if (await deletion.DeleteAsync(principal.UserId(), request, ct) is { } problem)
        {
            return problem.ToResult();
        }
        // The cookie goes without a "signout" audit entry: that would name the erased person again.
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    static async Task<Ok<IReadOnlyList<TokenDto>>> ListTokensAsync(ClaimsPrincipal principal, AccessTokenService tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(principal.UserId(), ct));

    static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateTokenAsync(CreateTokenRequest request, ClaimsPrincipal principal, AccessTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.CreateAsync(principal.UserId(), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/tokens/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, NotFound>> RevokeTokenAsync(long id, ClaimsPrincipal principal, AccessTokenService tokens, CancellationToken ct) =>
        await tokens.RevokeAsync(principal.UserId(), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
