using Booking.Appointments.Data;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.BusyBlocks;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.PortalAppointments;
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
        services.AddModuleDatabase<AppointmentsDbContext>();
        services.AddScoped<Schedule>();
        services.AddScoped<BookingDesk>();
        services.AddSingleton<BookingGate>();
        services.AddTransient<Names>();
        services.AddScoped<IdempotentRequests>();
        services.AddScoped<IdempotencyKeyCleanup>();
        services.AddHostedService<IdempotencyKeyCleanupSchedule>();
        services.AddValidatorsFromAssemblyContaining<AppointmentsDbContext>(ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }

    public static IEndpointRouteBuilder MapAppointmentsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGetAvailability();
        app.MapPortalAppointments();
        app.MapGetDiary();
        app.MapStaffAppointments();
        app.MapBusyBlocks();
        app.MapRequests();
        return app;
    }
}
