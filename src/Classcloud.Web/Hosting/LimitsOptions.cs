using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>Limits on request sizes and rates ("limits on every upload, every list, every loop").</summary>
public sealed class LimitsOptions
{
    public const string Section = "Classcloud:Limits";

    /// <summary>Largest JSON body an API route accepts, in bytes.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Form and API submissions per minute per client address on the sign-in, sign-up and recovery routes.
    /// Sized for a class behind one school NAT (60 students signing up, confirming and signing in within
    /// a minute is 180); guessing one account's password is stopped by the account lockout instead.
    /// </summary>
    public int AuthRequestsPerMinute { get; set; } = 300;

    /// <summary>Largest page size any list route returns.</summary>
    public int MaxPageSize { get; set; } = 100;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxJsonBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"Classcloud:Limits:MaxJsonBodyBytes must be between 1024 and 67108864 (got {options.MaxJsonBodyBytes}).");
        }
        if (options.AuthRequestsPerMinute is < 1 or > 100_000)
        {
            failures.Add($"Classcloud:Limits:AuthRequestsPerMinute must be between 1 and 100000 (got {options.AuthRequestsPerMinute}).");
        }
        if (options.MaxPageSize is < 10 or > 1000)
        {
            failures.Add($"Classcloud:Limits:MaxPageSize must be between 10 and 1000 (got {options.MaxPageSize}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
