using Booking.Appointments.Features.PortalAppointments;
using Booking.PortalAuth.Features.Me;

namespace Booking.Host.Pages.Ol;

public sealed class AppointmentsModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.View;

    public PortalMe Me { get; private set; } = null!;

    public IReadOnlyList<PortalAppointmentView> Upcoming { get; private set; } = [];

    public IReadOnlyList<PortalAppointmentView> Past { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var clientId = ClientId!.Value;
        Me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
        Upcoming = (await Sender.Send(new ListMyAppointments(clientId, "upcoming"), cancellationToken)).Items;
        Past = (await Sender.Send(new ListMyAppointments(clientId, "past"), cancellationToken)).Items;
    }
}
