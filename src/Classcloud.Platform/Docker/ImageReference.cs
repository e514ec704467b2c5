namespace Classcloud.Platform.Docker;

internal static class ImageReference
{
    /// <summary>Splits <c>host:port/repo/name:tag</c> into repository and tag (default <c>latest</c>); a ':' before the last '/' is a port.</summary>
    public static (string Repository, string Tag) Split(string reference)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{reference}' is a digest reference; give a tag.", nameof(reference));
        }
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }
}
