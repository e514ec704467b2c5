using System.Text.RegularExpressions;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E.Infrastructure;

/// <summary>What a person does on the account pages, step by step, through their data-testid hooks.</summary>
public static partial class Flows
{
    public const string Password = TestAccounts.Password;

    /// <summary>Fills and sends the sign-up form; ends on the "check your mail" page.</summary>
    public static async Task SignUpAsync(this IPage page, string email, string role = "student", string name = "Kim Minji", string nickname = "minji")
    {
        await page.GotoAsync("/signup");
        await page.GetByTestId("signup-email").FillAsync(email);
        await page.GetByTestId("signup-password").FillAsync(Password);
        await page.GetByTestId("signup-name").FillAsync(name);
        await page.GetByTestId("signup-nickname").FillAsync(nickname);
        await page.GetByTestId($"signup-role-{role}").CheckAsync();
        await page.GetByTestId("signup-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/signup/check-mail"));
        await Expect(page.GetByTestId("check-mail")).ToContainTextAsync(email);
    }

    /// <summary>The absolute link in the newest mail to <paramref name="email"/> that goes to <paramref name="path"/>, as the reader would click it.</summary>
    public static async Task<string> MailedLinkAsync(this BrowserHost host, string email, string path)
    {
        var mails = await host.MailsToAsync(email);
        foreach (var mail in mails.Reverse())
        {
            var match = Regex.Match(mail.Body, @"https?://\S+?" + Regex.Escape(path) + @"\?token=[A-Za-z0-9_\-%]+");
            if (match.Success)
            {
                return match.Value;
            }
        }
        throw new InvalidOperationException($"No mail to {email} with a {path} link ({mails.Count} mails).");
    }

    /// <summary>Opens the mailed confirmation link and presses its button; ends on the success message.</summary>
    public static async Task ConfirmEmailAsync(this IPage page, BrowserHost host, string email)
    {
        var link = await host.MailedLinkAsync(email, "/verify");
        Assert.StartsWith(host.Address.ToString().TrimEnd('/'), link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await page.GetByTestId("verify-submit").ClickAsync();
        await Expect(page.GetByTestId("verify-success")).ToContainTextAsync(email);
    }

    /// <summary>Signs in on /signin; ends signed in (My page in the navigation).</summary>
    public static async Task SignInAsync(this IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("signin-email").FillAsync(email);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Expect(page.GetByTestId("my-page")).ToBeVisibleAsync();
    }

    /// <summary>Tries to sign in and expects to be refused; returns the error shown.</summary>
    public static async Task<string> SignInFailsAsync(this IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("signin-email").FillAsync(email);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("my-page")).ToHaveCountAsync(0);
        return await page.GetByTestId("form-error").InnerTextAsync();
    }

    /// <summary>Signs out with the button in the navigation.</summary>
    public static async Task SignOutAsync(this IPage page)
    {
        await page.GetByTestId("signout").ClickAsync();
        await Expect(page.GetByTestId("my-page")).ToHaveCountAsync(0);
    }

    /// <summary>Sign-up, mailed link and sign-in in one: a new signed-in student (or pending educator). Returns the e-mail.</summary>
    public static async Task<string> NewAccountAsync(this IPage page, BrowserHost host, string tag, string role = "student")
    {
        var email = TestAccounts.NewEmail(tag);
        await page.SignUpAsync(email, role);
        await page.ConfirmEmailAsync(host, email);
        await page.SignInAsync(email);
        return email;
    }

    /// <summary>GET /api/v1/me with the page's own cookies: what the server thinks of this browser's user.</summary>
    public static async Task<System.Text.Json.JsonElement> ApiMeAsync(this IPage page, BrowserHost host)
    {
        var response = await page.Context.APIRequest.GetAsync(host.Url("/api/v1/me"));
        Assert.Equal(200, response.Status);
        return (await response.JsonAsync())!.Value;
    }
}
