using System.Net.Sockets;
using System.Text.Json;
using Booking.BuildingBlocks.Tenancy;
using Booking.Notifications.Data;
using Booking.Notifications.Domain;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Booking.Notifications.Delivery;

/// <summary>Hands one message to the outside world. Throws <see cref="MailDeliveryException"/> on failure.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Temporary: try again later (4xx, connection refused, timeout). Permanent: never (5xx).</summary>
public sealed class MailDeliveryException(string message, bool temporary, Exception? inner = null) : Exception(message, inner)
{
    public bool Temporary { get; } = temporary;
}

public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, SocketOptions(options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            throw new MailDeliveryException($"SMTP {code}: {ex.Message}", temporary: code is >= 400 and < 500, ex);
        }
        catch (AuthenticationException ex)
        {
            throw new MailDeliveryException($"SMTP authentication failed: {ex.Message}", temporary: false, ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException($"SMTP unavailable: {ex.Message}", temporary: true, ex);
        }
    }

    private static SecureSocketOptions SocketOptions(string security) => security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "sslonconnect" or "ssl" or "tls" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}

/// <summary>Development without SMTP: the message is kept in PostgreSQL and shown at /dev/mail.</summary>
public sealed class DevMailSink(NotificationsDbContext db, ITenantContext tenant, TimeProvider clock) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var attachments = message.Attachments.OfType<MimePart>()
            .Select(a => new { fileName = a.FileName, contentType = a.ContentType.MimeType })
            .ToList();
        db.DevMail.Add(new DevMailMessage
        {
            Id = Guid.CreateVersion7(),
            TenantSlug = tenant.Current?.Slug ?? "",
            To = string.Join(", ", message.To.Mailboxes.Select(m => m.Address)),
            Subject = message.Subject ?? "",
            Text = message.TextBody ?? "",
            Html = message.HtmlBody ?? "",
            Attachments = JsonSerializer.Serialize(attachments),
            SentAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Outside Development with no SMTP configured: every message fails, saying why.</summary>
public sealed class UnconfiguredMailTransport : IMailTransport
{
    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
        throw new MailDeliveryException("No SMTP server is configured (section Smtp).", temporary: false);
}
