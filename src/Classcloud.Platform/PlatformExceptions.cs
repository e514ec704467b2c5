namespace Classcloud.Platform;

/// <summary>An operation failed in the engine; <see cref="Exception.Message"/> carries the engine's own message.</summary>
public class PlatformException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformException() { }

    /// <summary>Creates the exception.</summary>
    public PlatformException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PlatformException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The engine's status code, when it answered (HTTP status for the Docker driver).</summary>
    public int? StatusCode { get; init; }
}

/// <summary>The workload, image, volume or network does not exist.</summary>
public class PlatformNotFoundException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    public PlatformNotFoundException() { }

    /// <summary>Creates the exception.</summary>
    public PlatformNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PlatformNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The operation clashes with the current state (a name in use, a volume still mounted, …).</summary>
public class PlatformConflictException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    public PlatformConflictException() { }

    /// <summary>Creates the exception.</summary>
    public PlatformConflictException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PlatformConflictException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The engine refused the request as invalid.</summary>
public class PlatformInvalidRequestException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    public PlatformInvalidRequestException() { }

    /// <summary>Creates the exception.</summary>
    public PlatformInvalidRequestException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PlatformInvalidRequestException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The engine cannot be reached (not running, wrong address, TLS refused).</summary>
public class PlatformUnavailableException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    public PlatformUnavailableException() { }

    /// <summary>Creates the exception.</summary>
    public PlatformUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PlatformUnavailableException(string message, Exception inner) : base(message, inner) { }
}
