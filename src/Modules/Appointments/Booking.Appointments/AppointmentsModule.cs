using Booking.Appointments.Data;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.CancelMany;
using Booking.Appointments.Features.BusyBlocks;
using Booking.Appointments.Features.ClientAppointments;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Reports;
using Booking.Appointments.Features.Requests;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Data;
using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Appointments;

public static class AppointmentsModule
{
    public static IServiceCollection AddAppointmentsModule(this IServiceCollection services)
    {
        // A refused overlap (23P01) is an answer (409 slot-conflict), not an error; EF would log every loser of a race
        // as an error with its stack, 300 of them for a 150-way race, written synchronously while the race runs. Other
        // failures still surface as exceptions and are logged where they become a 500.
        services.AddModuleDatabase<AppointmentsDbContext>(options => options.ConfigureWarnings(w => w.Log(
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, Microsoft.Extensions.Logging.LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Debug))));
        services.AddScoped<Schedule>();
        services.AddScoped<BookingDesk>();
        services.AddSingleton<ReadBack>();
        services.AddSingleton<BookingGate>();
        services.AddSingleton<DiaryTurns>();
        services.AddTransient<Names>();
        services.AddScoped<Features.Clashes.ClashFinder>();
        services.AddScoped<IdempotentRequests>();
        services.AddIdempotencyKeyCleanup();
        services.AddValidatorsFromAssemblyContaining<AppointmentsDbContext>(ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }

    public static IEndpointRouteBuilder MapAppointmentsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGetAvailability();
        app.MapGetStaffAvailability();
        app.MapPortalAppointments();
        app.MapGetDiary();
        app.MapStaffAppointments();
        app.MapBusyBlocks();
        app.MapRequests();
        app.MapClientAppointments();
        app.MapReports();
        app.MapCancelManyAppointments();
        Features.Moves.MoveEndpoints.MapMoves(app);
        Features.PetChange.ChangeAppointmentPetEndpoint.MapChangeAppointmentPet(app);
        return app;
    }
}
