using Booking.Notifications.Features.Settings;
using Mediator;

namespace Booking.Host.Demo;

/// <summary>
/// The demo's made-up addresses count as confirmed by their people from the start (it is a demo): its diary contacts
/// get its booking emails and requests, and the owner its request emails, without confirmation emails waiting in the
/// dev mail viewer first. Runs before the diaries are made, so their contacts are already confirmed and sent nothing.
/// A real business's addresses are confirmed by the person at them.
/// </summary>
public sealed class NotificationsDemoSeed(ISender sender) : IDemoSeed
{
    public int Order => 5;

    public async Task SeedAsync(CancellationToken cancellationToken) =>
        await sender.Send(new ConfirmDemoAddresses([DemoSeeder.OwnerEmail, SchedulingDemoSeed.AlexEmail, SchedulingDemoSeed.SamEmail]), cancellationToken);
}
