using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts;

/// <summary>Adds role, status and nickname to the principal, so authorization needs no extra query.</summary>
internal sealed class ClasscloudClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString().ToLowerInvariant()));
        identity.AddClaim(new Claim(ClaimNames.Status, user.Status.ToString().ToLowerInvariant()));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.Name));
        identity.AddClaim(new Claim(ClaimNames.Nickname, user.Nickname));
        return identity;
    }
}

/// <summary>
/// A disabled account cannot sign in, and an existing session of a disabled account stops working
/// at the next request (the security stamp is checked on every request, see AccountsSetup).
/// </summary>
internal sealed class ClasscloudSignInManager(
    UserManager<User> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<User> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<User>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<User> confirmation)
    : SignInManager<User>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(User user) =>
        user.Status != AccountStatus.Disabled && await base.CanSignInAsync(user);

    public override async Task<User?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is { Status: not AccountStatus.Disabled } ? user : null;
    }
}
