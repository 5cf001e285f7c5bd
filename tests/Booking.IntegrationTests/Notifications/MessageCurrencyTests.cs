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

    /// <summary>
    /// Decision 297: at delivery (each attempt) a message is judged as a resend is, less "already started": one the
    /// appointment has moved on from is not sent, saying why; one still true goes, late as it may be.
    /// </summary>
    [Fact]
    public void At_delivery_a_message_the_appointment_moved_on_from_is_not_sent_and_one_still_true_goes()
    {
        var written = Now.AddHours(-2);
        var start = Now.AddDays(2);
        var standing = new AppointmentState("confirmed", start, start.AddHours(1));
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.ClientBookingConfirmation, standing, written, start));
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.ClientBookingConfirmation, null, written, start)); // not known: sent

        // Moved after it was written: the old time. Its event read after the move (written later, the old start told): the old time too.
        var moved = standing with { Start = start.AddHours(4), End = start.AddHours(5), MovedAt = Now.AddHours(-1) };
        Assert.Equal("Not sent: the appointment changed before this email could be delivered. It was moved on Saturday 5 December 2026, so this email would have given "
            + "the time before the move; the moved-appointment email (\"Appointment moved, to client\" in this log) gives the time now.",
            MessageCurrency.WhyNotDelivered(MessageKinds.ClientBookingConfirmation, moved, written, start));
        Assert.NotNull(MessageCurrency.WhyNotDelivered(MessageKinds.DiaryContactNew, moved, Now, start));
        Assert.EndsWith("the diary shows the time now.", MessageCurrency.WhyNotDelivered(MessageKinds.ExtraAddressNew, moved, written, start), StringComparison.Ordinal);
        // The move's own email, written after it with the time now, goes; superseded by a later move, it does not.
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.ClientAppointmentMoved, moved, Now, moved.Start));
        Assert.NotNull(MessageCurrency.WhyNotDelivered(MessageKinds.ClientAppointmentMoved, moved with { Start = start.AddDays(1), MovedAt = Now.AddMinutes(1) }, Now, moved.Start));

        // Cancelled since: a booking's email is not sent; the cancellation's own emails stay true and go.
        var cancelled = standing with { Status = "cancelled" };
        Assert.Equal("Not sent: the appointment changed before this email could be delivered. This appointment has since been cancelled.",
            MessageCurrency.WhyNotDelivered(MessageKinds.ClientBookingConfirmation, cancelled, written, start));
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.ClientCancellationConfirmation, cancelled, written, start));
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.DiaryContactCancelled, cancelled, written, start));

        // A request settled since still goes (its settlement's email follows it); so does a decision after the start.
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.DiaryContactBookingRequest, standing, written, start));
        var past = new AppointmentState("cancelled", Now.AddHours(-1), Now);
        Assert.Null(MessageCurrency.WhyNotDelivered(MessageKinds.ClientCancellationRequestAccepted, past, written, past.Start));
        Assert.NotNull(MessageCurrency.WhyNotCurrent(MessageKinds.ClientCancellationRequestAccepted, past, Now, written));
    }
}
