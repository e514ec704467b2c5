using System.Globalization;
using System.Resources;

namespace Classcloud.Web.Localization;

/// <summary>
/// The shared sentences where no localizer is injected: a <see cref="Hosting.Problem"/> keeps its English text
/// (the resource key) and arguments, and is worded in the reader's language when it is read, at the endpoint or
/// page, so use cases need not inject a localizer only to word their refusals. Reads the same resources as
/// <c>IStringLocalizer&lt;SharedResource&gt;</c>.
/// </summary>
public static class Sentences
{
    static readonly ResourceManager Resources = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    /// <summary>The text in the current UI culture (itself when untranslated), with its arguments filled in.</summary>
    public static string Format(string text, IReadOnlyList<object?> args)
    {
        var template = Resources.GetString(text, CultureInfo.CurrentUICulture) ?? text;
        return args.Count == 0 ? template : string.Format(CultureInfo.CurrentCulture, template, [.. args]);
    }
}
