-- A product with a photo.
INSERT INTO products VALUES (2, 'CGP102', '{"fr-CA":"Soupe aux pois","en-CA":"Pea soup","es":"Sopa de guisantes"}',
    'soup', 750, 599, 0, 1, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
