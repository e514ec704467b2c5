namespace Classcloud.Web.Localization;

/// <summary>
/// Marker for the shared string table. Keys are the English text; SharedResource.ko.resx holds
/// the Korean translations, so English needs no file of its own.
/// </summary>
public sealed class SharedResource;
