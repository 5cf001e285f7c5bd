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

/// <summary>
/// SMTP through MailKit. One instance lives in one DI scope (a delivery job's batch, a single message's job) and
/// keeps its connection open across that scope's messages, so a batch pays the connect, TLS and login once instead of
/// once per message; the connection is closed with the scope. After any failure the connection is dropped and the
/// next message opens a new one. A reused connection that turns out to be gone (the server closed it between
/// messages: idle time, a cap on messages per connection) is opened again once for the same message.
/// </summary>
public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport, IAsyncDisposable, IDisposable
{
    private SmtpClient? connection;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var reused = connection is not null;
            try
            {
                await SendOnConnectionAsync(message, cancellationToken);
            }
            catch (Exception ex) when (reused && IsConnectionGone(ex) && !cancellationToken.IsCancellationRequested)
            {
                Drop();
                await SendOnConnectionAsync(message, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            Drop();
            if (Classify(ex, cancellationToken) is { } failure)
            {
                throw failure;
            }

            throw;
        }
    }

    private async Task SendOnConnectionAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (connection is not { IsConnected: true })
        {
            Drop();
            connection = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
            await connection.ConnectAsync(options.Host!, options.Port, SocketOptions(options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await connection.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
            }
        }

        await connection.SendAsync(message, cancellationToken);
    }

    private static bool IsConnectionGone(Exception ex) =>
        ex is IOException or SocketException or ServiceNotConnectedException or SmtpProtocolException
            || ex is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    /// <summary>Temporary: try again later (4xx, no connection, a timeout). Permanent: never (5xx, a refused login).</summary>
    private static MailDeliveryException? Classify(Exception ex, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case SmtpCommandException command:
                var code = (int)command.StatusCode;
                return new MailDeliveryException($"SMTP {code}: {command.Message}", temporary: code is >= 400 and < 500, command);
            case AuthenticationException:
                return new MailDeliveryException($"SMTP authentication failed: {ex.Message}", temporary: false, ex);
            case SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException:
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new MailDeliveryException($"SMTP unavailable: {ex.Message}", temporary: true, ex);
            default:
                return null;
        }
    }

    private void Drop()
    {
        connection?.Dispose();
        connection = null;
    }

    /// <summary>Ends the scope's connection politely (QUIT); a server that does not answer in time is simply left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (connection is { IsConnected: true } open)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await open.DisconnectAsync(quit: true, quick.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException or OperationCanceledException)
            {
                // The messages were accepted; only the goodbye was lost.
            }
        }

        Drop();
    }

    public void Dispose() => Drop();

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
    /// <summary>The decoded bytes of an attachment, base64; null when it has none.</summary>
    private static string? Content(MimePart part)
    {
        if (part.Content is null)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        part.Content.DecodeTo(bytes);
        return Convert.ToBase64String(bytes.ToArray());
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        // Each attachment's bytes too (base64, in the same JSON), so /dev/mail can open it: Development only, never with SMTP.
        var attachments = message.Attachments.OfType<MimePart>()
            .Select(a => new { fileName = a.FileName, contentType = a.ContentType.MimeType, content = Content(a) })
            .ToList();
        var mail = new DevMailMessage
        {
            Id = Guid.CreateVersion7(),
            TenantSlug = tenant.Current?.Slug ?? "",
            To = string.Join(", ", message.To.Mailboxes.Select(m => m.Address)),
            Subject = message.Subject ?? "",
            Text = message.TextBody ?? "",
            Html = message.HtmlBody ?? "",
            Attachments = JsonSerializer.Serialize(attachments),
            SentAt = clock.GetUtcNow(),
        };
        db.DevMail.Add(mail);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            // The context serves a whole batch of messages: nothing of this one is left for the next one's save.
            db.Entry(mail).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        }
    }
}

/// <summary>Outside Development with no SMTP configured: every message fails, saying why.</summary>
public sealed class UnconfiguredMailTransport : IMailTransport
{
    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
        throw new MailDeliveryException("No SMTP server is configured (section Smtp).", temporary: false);
}
