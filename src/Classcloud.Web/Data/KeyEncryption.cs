using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Data;

/// <summary>Section <c>Classcloud:DataProtection</c>: the key that encrypts the key ring at rest.</summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "Classcloud:DataProtection";

    /// <summary>
    /// A file holding 32 random bytes. Empty: <c>keys/key-encryption.key</c> in the data directory,
    /// made on first start. Every replica must read the same file (on Kubernetes a Secret mounted
    /// read-only); a path given here that does not exist stops the start.
    /// </summary>
    public string KeyFile { get; set; } = "";
}

internal sealed class KeyEncryptionOptionsValidator : IValidateOptions<KeyEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options) =>
        string.IsNullOrWhiteSpace(options.KeyFile) || File.Exists(options.KeyFile)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{KeyEncryptionOptions.Section}:KeyFile: no file at {Path.GetFullPath(options.KeyFile)}.");
}

/// <summary>
/// The key ring lives in the database (DatabaseXmlRepository). Each key is sealed with AES-256-GCM
/// under a key kept outside the database, so a copy of the database alone opens no cookie, token or
/// secret protected with the ring (seed 000 kept its export keys as AES with a zero IV in the database).
/// </summary>
internal sealed class KeyEncryptionKey(IOptions<KeyEncryptionOptions> options, IOptions<ClasscloudOptions> classcloud, ILogger<KeyEncryptionKey> log)
{
    const int KeyBytes = 32;
    readonly Lazy<byte[]> key = new(() => Load(options.Value, classcloud.Value, log));

    public XElement Seal(XElement plain)
    {
        var data = Encoding.UTF8.GetBytes(plain.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var sealedData = new byte[data.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key.Value, tag.Length))
        {
            aes.Encrypt(nonce, data, sealedData, tag);
        }
        return new XElement("sealedKey",
            new XAttribute("algorithm", "AES-256-GCM"),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("data", Convert.ToBase64String(sealedData)));
    }

    public XElement Open(XElement sealedKey)
    {
        var nonce = Convert.FromBase64String((string?)sealedKey.Element("nonce") ?? "");
        var tag = Convert.FromBase64String((string?)sealedKey.Element("tag") ?? "");
        var data = Convert.FromBase64String((string?)sealedKey.Element("data") ?? "");
        var plain = new byte[data.Length];
        using (var aes = new AesGcm(key.Value, tag.Length))
        {
            // Throws AuthenticationTagMismatchException with another key file: the ring is unreadable, as it should be.
            aes.Decrypt(nonce, data, tag, plain);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }

    static byte[] Load(KeyEncryptionOptions o, ClasscloudOptions classcloud, ILogger log)
    {
        var configured = !string.IsNullOrWhiteSpace(o.KeyFile);
        var path = configured ? Path.GetFullPath(o.KeyFile) : Path.Combine(classcloud.FullDataDirectory, "keys", "key-encryption.key");
        if (!File.Exists(path) && !configured)
        {
            Create(path);
            log.LogInformation("Made the key-encryption key {Path}; back it up with the database: without it the stored keys cannot be read", path);
        }
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == KeyBytes
            ? bytes
            : throw new InvalidOperationException($"{path} must hold exactly {KeyBytes} bytes; it holds {bytes.Length}.");
    }

    static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written under a temporary name and moved, so a crash never leaves half a key that later starts would use.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            file.Write(RandomNumberGenerator.GetBytes(KeyBytes));
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process on the same data directory made it first: use theirs.
            File.Delete(temporary);
        }
    }
}

internal sealed class KeyEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(key.Seal(plaintextElement), typeof(KeyDecryptor));
}

/// <summary>Made by Data Protection's activator from the type name stored with each key, hence the IServiceProvider constructor.</summary>
internal sealed class KeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => services.GetRequiredService<KeyEncryptionKey>().Open(encryptedElement);
}
