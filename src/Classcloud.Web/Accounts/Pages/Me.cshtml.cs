using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>
/// My page (seed 000 MEM03–MEM04): every change goes through a use case (<see cref="ProfileService"/>,
/// <see cref="PasswordChange"/>, <see cref="AccountDeletion"/>, <see cref="AccessTokenService"/>); this model only turns
/// their answers into messages next to the form that caused them. A handler takes the slice only it uses.
/// </summary>
[Authorize]
public sealed class MeModel(
    ClasscloudDb db, AccessTokenService tokens, SignInService signIn, SignInManager<User> signInManager,
    Courses.NotificationSettingsService notificationSettings, IStringLocalizer<SharedResource> t) : PageModel
{
    const string SectionKey = "me.section";
    const string MessageKey = "me.message";

    public static readonly int[] TokenLifetimes = [7, 30, 90, 180, 365];

    public User Me { get; private set; } = null!;

    public IReadOnlyList<TokenDto> Tokens { get; private set; } = [];

    /// <summary>How notifications reach this person by mail ("off", "daily", "immediate").</summary>
    public string NotificationMail { get; private set; } = "off";

    /// <summary>The secret of a token just created: shown on this response only, never stored in plain text.</summary>
    public CreatedTokenDto? NewToken { get; private set; }

    /// <summary>Which card the message or error belongs to ("profile", "email", "language", "password", "tokens", "delete").</summary>
    public string? Section { get; private set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    /// <summary>Form values echoed back after an error.</summary>
    public string? NewEmail { get; private set; }

    public string? TokenName { get; private set; }

    public (string? Error, string? Message) AlertFor(string section) => Section == section ? (Error, Message) : (null, null);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Section = TempData[SectionKey] as string;
        Message = TempData[MessageKey] as string;
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostProfileAsync(string? nickname, [FromServices] ProfileService profiles, CancellationToken ct)
    {
        var outcome = await profiles.UpdateAsync(User.UserId(), new UpdateProfileRequest(nickname ?? "", null, null), ct);
        return await AnswerAsync("profile", outcome.Problem, t["Your nickname is saved."], ct);
    }

    public async Task<IActionResult> OnPostEmailAsync(string? email, [FromServices] ProfileService profiles, CancellationToken ct)
    {
        NewEmail = email;
        var outcome = await profiles.UpdateAsync(User.UserId(), new UpdateProfileRequest(null, email ?? "", null), ct);
        if (outcome.Succeeded && string.Equals(email?.Trim(), outcome.Value!.Email, StringComparison.OrdinalIgnoreCase))
        {
            return await FailAsync("email", t["This is already your e-mail address."], ct);
        }
        return await AnswerAsync("email", outcome.Problem,
            t["We mailed a confirmation link to {0}. Your address changes when you open it.", email?.Trim() ?? ""], ct);
    }

    public async Task<IActionResult> OnPostLanguageAsync(string? culture, [FromServices] ProfileService profiles, CancellationToken ct)
    {
        var outcome = await profiles.UpdateAsync(User.UserId(), new UpdateProfileRequest(null, null, culture ?? ""), ct);
        if (outcome.Succeeded)
        {
            signIn.RememberCulture(outcome.Value!);
        }
        return await AnswerAsync("language", outcome.Problem, t["Your language is saved."], ct);
    }

    public async Task<IActionResult> OnPostNotificationsAsync(string? mail, CancellationToken ct)
    {
        var outcome = await notificationSettings.SetAsync(User.UserId(), mail, ct);
        return await AnswerAsync("notifications", outcome.Problem, t["Your notification mail setting is saved."], ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(string? currentPassword, string? newPassword, string? confirmPassword, [FromServices] PasswordChange passwords, CancellationToken ct)
    {
        if (!string.Equals(newPassword, confirmPassword, StringComparison.Ordinal))
        {
            return await FailAsync("password", t["The two passwords do not match."], ct);
        }
        var problem = await passwords.ChangePasswordAsync(User.UserId(), new ChangePasswordRequest(currentPassword, newPassword), ct);
        if (problem is null)
        {
            // A new password renews the security stamp, which would end this session too; keep it.
            var id = User.UserId();
            await signInManager.RefreshSignInAsync(await db.Users.SingleAsync(u => u.Id == id, ct));
        }
        return await AnswerAsync("password", problem, t["Your password is changed."], ct);
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(string? name, int? expiresInDays, CancellationToken ct)
    {
        TokenName = name;
        var outcome = await tokens.CreateAsync(User.UserId(), new CreateTokenRequest(name, expiresInDays), ct);
        if (!outcome.Succeeded)
        {
            return await FailAsync("tokens", outcome.Problem!.Detail, ct);
        }
        // No redirect: the secret exists only in this response.
        NewToken = outcome.Value;
        TokenName = null;
        Section = "tokens";
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(long id, CancellationToken ct) =>
        await tokens.RevokeAsync(User.UserId(), id, ct)
            ? await AnswerAsync("tokens", null, t["The token is revoked."], ct)
            : await FailAsync("tokens", t["No such token."], ct);

    public async Task<IActionResult> OnPostDeleteAsync(string? password, bool confirm, [FromServices] AccountDeletion deletion, CancellationToken ct)
    {
        var problem = await deletion.DeleteAsync(User.UserId(), new DeleteAccountRequest(password, confirm), ct);
        if (problem is not null)
        {
            return await FailAsync("delete", problem.Detail, ct);
        }
        // Without a "signout" audit entry, which would name the erased person again.
        await signInManager.SignOutAsync();
        return RedirectToPage("/Accounts/Pages/Deleted");
    }

    async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        var id = User.UserId();
        var me = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        if (me is null)
        {
            await signIn.SignOutAsync(ct);
            return LocalRedirect("/signin");
        }
        Me = me;
        Tokens = await tokens.ListAsync(id, ct);
        NotificationMail = Courses.NotificationSetting.Name(await notificationSettings.GetAsync(id, ct));
        return Page();
    }

    /// <summary>Success goes back to a fresh GET (a reload does not resubmit); a problem re-renders the page with it.</summary>
    async Task<IActionResult> AnswerAsync(string section, Problem? problem, string message, CancellationToken ct)
    {
        if (problem is not null)
        {
            return await FailAsync(section, problem.Detail, ct);
        }
        TempData[SectionKey] = section;
        TempData[MessageKey] = message;
        return Redirect("/me#" + section);
    }

    async Task<IActionResult> FailAsync(string section, string error, CancellationToken ct)
    {
        Section = section;
        Error = error;
        return await ShowAsync(ct);
    }
}
