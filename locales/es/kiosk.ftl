# Congélo kiosk — español.

language-name = Español
meta-money-style = comma-after

idle-scan-card = Escanee su tarjeta
idle-scan-card-hint = Si tiene una
idle-scan-pack = Escanee un producto
idle-scan-pack-hint = El código de barras de la bolsa
idle-pick-picture = No puedo escanear

cart-less = Uno menos
cart-more = Uno más
cart-quantity = Cantidad
cart-remove = Quitar
cart-empty = Escanee un producto
cart-welcome = Bienvenido
cart-total = Total
cart-pay = Pagar
cart-pictures = Imágenes
cart-cancel-all = Cancelar todo

grid-title = Toque el producto
grid-back = Volver
grid-type-code = Escribir el número del código de barras
grid-code-field = Número del código de barras
grid-code-ok = Agregar

unknown-title = Código desconocido
unknown-text = Este código no se reconoce. Intente otra vez o elija la imagen.
unknown-pictures = Imágenes
notice-ok = OK

card-welcome-title = ¡Bienvenido!
card-welcome-text = Escanee sus productos.
card-expired-title = Tarjeta vencida
card-revoked-title = Tarjeta anulada
card-unknown-title = Tarjeta desconocida
card-refused-text = Pida una tarjeta nueva en la recepción. Puede comprar al precio normal.
card-buy-full-price = Comprar al precio normal
card-refused-cancel = Cancelar

cap-title = Límite alcanzado
cap-left-items = Todavía puede llevar { $count ->
        [0] 0 productos
        [one] 1 producto
       *[other] { $count } productos
    } en este periodo.
cap-left-amount = Le quedan { $amount } para este periodo.
cap-back-to-cart = Volver al carrito

pay-total = A pagar
pay-choose = ¿Cómo paga?
pay-method-cash = Efectivo
pay-method-prepaid = Mi saldo prepagado
pay-method-pay-later = Pagar después
pay-method-card = Tarjeta de débito o crédito
pay-back = Volver

cash-amount = Ponga en la caja
cash-instructions = Deje el dinero en la caja y luego toque «Ya pagué».
cash-confirm = Ya pagué

prepaid-after = Saldo después de la compra
prepaid-confirm = Pagar con mi saldo

pay-later-owed = Deberá en total
pay-later-confirm = Pagar después

terminal-waiting-title = Siga la terminal
terminal-waiting-text = Pague en la terminal:
terminal-declined-title = Pago rechazado
terminal-timeout-title = La terminal no responde
terminal-failed-text = Intente otra vez o elija otra forma de pago.
terminal-cancel = Cancelar
terminal-retry = Intentar otra vez
terminal-other-method = Otra forma de pago

done-title = ¡Gracias!
done-text = Tome sus productos y cierre bien el congelador.

still-there-title = ¿Sigue ahí?
still-there-yes = Sí, aquí estoy

out-of-order-title = Fuera de servicio
out-of-order-cannot-record = Este congelador no puede registrar compras por ahora. El personal está avisado.
out-of-order-not-configured = Este congelador todavía no está configurado.

sync-pending = { $count ->
        [0] Todo enviado
        [one] 1 en espera
       *[other] { $count } en espera
    }
sync-last = último envío { $time }

## Modo personal

out-of-order-cold-chain = El congelador se calentó demasiado. Un miembro del personal debe revisarlo.
staff-pin-title = Código PIN
staff-pin-attempts = { $count ->
        [one] Queda 1 intento
       *[other] Quedan { $count } intentos
    }
staff-pin-locked = Credencial bloqueada hasta las { $time }
staff-menu-title = Personal
staff-menu = Menú
staff-leave = Salir
staff-restock = Rellenar
staff-count = Contar
staff-loss = Retirar
staff-levels = Existencias
staff-lots = Lotes y fechas
staff-alarms = Alarmas
staff-temperature = Temperatura
staff-sync = Envío al centro
staff-enrol = Vincular al centro
staff-pick-product = Escanee una bolsa o toque su imagen.
staff-lot = Lote
staff-best-before = Consumir preferentemente antes de
staff-best-before-earlier = Un mes antes
staff-best-before-later = Un mes después
staff-book-level = Según el registro:
staff-reason-thawed = Descongelado
staff-reason-damaged = Dañado
staff-reason-expired = Vencido
staff-reason-other = Otro
staff-fewer = Uno menos
staff-more = Uno más
staff-quantity = Cantidad
staff-save = Guardar
staff-first-out = vender primero
staff-clear-hold = Congelador revisado: reanudar las ventas
staff-no-alarms = Ninguna alarma.
staff-24h-ago = hace 24 h
staff-now = ahora
staff-no-reading = Sin medida
staff-sync-now = Enviar ahora
staff-sync-off = Este congelador aún no está vinculado al centro.
staff-sync-error = Último error: { $why }
staff-clock-suspect = El reloj del congelador parece incorrecto.
staff-no-hub = Ninguna dirección de centro configurada
staff-enrol-text = Escanee el código QR de inscripción que muestra el centro.
staff-notice-saved = Guardado ✓
staff-notice-wrong-pin = Código PIN incorrecto
staff-notice-enrolling = Inscripción en curso…
staff-notice-enrolled = Congelador vinculado al centro ✓
staff-notice-enrol-failed = Inscripción rechazada: { $why }
staff-notice-no-hub = Ninguna dirección de centro en la configuración.
staff-notice-sync-requested = Envío solicitado
staff-notice-hold-cleared = Ventas reanudadas ✓
staff-alarm-cold-chain = Demasiado calor durante demasiado tiempo
staff-alarm-cold-chain-over = Temperatura normal de nuevo
staff-alarm-probe-lost = Sonda sin respuesta
staff-alarm-probe-back = Sonda de nuevo activa
staff-alarm-door-open = Puerta abierta demasiado tiempo
staff-alarm-door-closed = Puerta cerrada

## Number pads (the code under a barcode, the staff PIN)
keypad-erase = Borrar el último número
keypad-clear = Borrar todo

## Temperature chart (staff)
staff-chart-limit = Límite
