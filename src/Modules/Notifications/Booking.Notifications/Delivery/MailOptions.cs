namespace Booking.Notifications.Delivery;

/// <summary>Configuration section "Smtp": the deployment's mail server. No Host = none configured.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None, StartTls, SslOnConnect, or Auto (STARTTLS when offered).</summary>
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string FromAddress { get; set; } = "no-reply@booking.invalid";

    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Configuration section "Notifications": delivery timing. Links point to <see cref="Booking.BuildingBlocks.Web.PublicOrigin"/>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Notifications";

    /// <summary>Send attempts before a temporarily failing message is given up.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay; doubles each attempt up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 15;

    public double MaxRetryDelaySeconds { get; set; } = 1800;

    /// <summary>How long a claimed ('sending') message belongs to its worker; longer than the SMTP timeout.</summary>
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>How often the sweeper looks for due messages without a job (crash, lost enqueue, expired lease).</summary>
    public double SweepIntervalSeconds { get; set; } = 60;

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryDelaySeconds, RetryBaseDelaySeconds * Math.Pow(2, Math.Max(0, attempt - 1))));
}
