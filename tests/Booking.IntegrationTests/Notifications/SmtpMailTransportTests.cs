using Booking.Notifications.Delivery;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>The SMTP transport against a real server on loopback: one connection per scope, and what a lost one does.</summary>
public sealed class SmtpMailTransportTests
{
    private static SmtpOptions Options(SmtpTestServer server) => new() { Host = "127.0.0.1", Port = server.Port, Security = "None", TimeoutSeconds = 10 };

    private static MimeMessage Message(string to)
    {
        var message = new MimeMessage { Subject = "Hello " + to };
        message.From.Add(MailboxAddress.Parse("no-reply@booking.invalid"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Body = new TextPart("plain") { Text = "Hi" };
        return message;
    }

    private static string PeerOf(SmtpTestServer server, string to) =>
        Assert.Single(server.MessagesTo(to)).Headers["X-Smtp-Peer"] ?? throw new InvalidOperationException("no peer header");

    [Fact]
    public async Task Messages_sent_through_one_transport_share_a_connection_and_the_next_transport_opens_its_own()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using (var transport = new SmtpMailTransport(Options(server)))
        {
            await transport.SendAsync(Message("one@example.com"), CancellationToken.None);
            await transport.SendAsync(Message("two@example.com"), CancellationToken.None);
        }

        await using (var transport = new SmtpMailTransport(Options(server)))
        {
            await transport.SendAsync(Message("three@example.com"), CancellationToken.None);
        }

        Assert.Equal(PeerOf(server, "one@example.com"), PeerOf(server, "two@example.com"));
        Assert.NotEqual(PeerOf(server, "two@example.com"), PeerOf(server, "three@example.com"));
    }

    [Fact]
    public async Task A_connection_the_server_closed_between_messages_is_opened_again_and_no_server_at_all_is_a_temporary_failure()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var transport = new SmtpMailTransport(Options(server));
        await transport.SendAsync(Message("before@example.com"), CancellationToken.None);

        await server.StopAsync(); // the server goes away with the connection open, and comes back
        await server.StartAgainAsync();
        await transport.SendAsync(Message("after@example.com"), CancellationToken.None);
        Assert.NotEqual(PeerOf(server, "before@example.com"), PeerOf(server, "after@example.com"));

        await server.StopAsync();
        var failure = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("down@example.com"), CancellationToken.None));
        Assert.True(failure.Temporary);
        await server.StartAgainAsync();
    }
}
