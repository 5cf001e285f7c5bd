using Booking.PortalAuth.Features.Register;
using Mediator;

namespace Booking.Host.Demo;

/// <summary>A demo client who signs in by email and password or by phone (codes appear on /dev/sms).</summary>
public sealed class PortalAuthDemoSeed(ISender sender) : IDemoSeed
{
    public const string Email = "client@demo.example";
    public const string Password = "demo client swims at bondi beach";

    /// <summary>From the range Australia reserves for fiction (0491 570 006–159).</summary>
    public const string Mobile = "+61491570156";

    public int Order => 10;

    public async Task SeedAsync(CancellationToken cancellationToken) =>
        await sender.Send(new Register("Casey", "Client", Email, Password, Mobile) { MobileVerified = true }, cancellationToken);

    public IEnumerable<string> Describe() =>
    [
        $"Demo client:     {Email} / \"{Password}\", or mobile {Mobile} (0491 570 156)",
        "SMS codes:       {origin}/dev/sms",
    ];
}
