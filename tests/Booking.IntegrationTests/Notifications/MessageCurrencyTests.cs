using Booking.Appointments.Contracts;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.Messages;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A "cancellation request withdrawn" email (decision 228) says the appointment stands: sent again after the client
/// asked to cancel again, or after the appointment was cancelled, it would mislead, so the log offers no Resend then.
/// </summary>
public sealed class MessageCurrencyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MessageKinds.DiaryContactCancellationRequestWithdrawn)]
    [InlineData(MessageKinds.StaffCancellationRequestWithdrawn)]
    [InlineData(MessageKinds.StandInCancellationRequestWithdrawn)]
    public void A_withdrawal_email_is_current_while_the_appointment_stands_and_not_once_asked_again_or_cancelled(string kind)
    {
        var start = Now.AddDays(2);
        Assert.Null(MessageCurrency.WhyNotCurrent(kind, new AppointmentState("confirmed", start, start.AddHours(1)), Now));
        Assert.Equal("The client has since asked again to cancel this appointment.",
            MessageCurrency.WhyNotCurrent(kind, new AppointmentState("cancellation-requested", start, start.AddHours(1)), Now));
        Assert.Equal("This appointment has since been cancelled.",
            MessageCurrency.WhyNotCurrent(kind, new AppointmentState("cancelled", start, start.AddHours(1)), Now));
    }
}
