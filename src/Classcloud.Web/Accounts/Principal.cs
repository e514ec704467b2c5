using System.Security.Claims;

namespace Classcloud.Web.Accounts;

public static class Policies
{
    public const string Admin = "admin";
    /// <summary>An approved educator (or an administrator): may create courses.</summary>
    public const string Educator = "educator";
}

public static class ClaimNames
{
    public const string Status = "classcloud:status";
    public const string Nickname = "classcloud:nickname";
}

public static class PrincipalExtensions
{
    /// <summary>The signed-in user's id; only call on authenticated principals.</summary>
    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."),
            System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole("admin");
}
